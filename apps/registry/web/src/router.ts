// Hash routes, so every page works behind the suite's static serving. A certificate's QR code opens
// `/registry/#/verify/<id>`.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'search', component: () => import('./views/search-view.vue') },
    { path: '/e/:uscc', name: 'enterprise', component: () => import('./views/enterprise-view.vue') },
    { path: '/verify/:id', name: 'verify', component: () => import('./views/verify-view.vue') },
    { path: '/console', name: 'console', component: () => import('./views/console-view.vue') },
    { path: '/workbench', name: 'workbench', component: () => import('./views/workbench-view.vue') },
    { path: '/certify', name: 'certify', component: () => import('./views/certify-view.vue') },
    { path: '/market', name: 'market', component: () => import('./views/market-view.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});
