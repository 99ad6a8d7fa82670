// Hash routes, so every page works behind the suite's static serving. A lot's page is
// `/food/#/lot?epc=<Digital Link>`.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'overview', component: () => import('./views/overview-view.vue') },
    { path: '/master-data', name: 'master', component: () => import('./views/master-data-view.vue') },
    { path: '/capture', name: 'capture', component: () => import('./views/capture-view.vue') },
    { path: '/lot', name: 'lot', component: () => import('./views/lot-view.vue') },
    { path: '/recalls', name: 'recalls', component: () => import('./views/recalls-view.vue') },
    { path: '/alerts', name: 'alerts', component: () => import('./views/alerts-view.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});
