// Hash routes, so every page works behind the suite's static serving. A receipt's link is
// `/parking/#/receipt/<id>`.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'driver', component: () => import('./views/driver-view.vue') },
    { path: '/receipt/:id', name: 'receipt', component: () => import('./views/receipt-view.vue') },
    { path: '/console', name: 'console', component: () => import('./views/console-view.vue') },
    { path: '/settlement', name: 'settlement', component: () => import('./views/settlement-view.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});
