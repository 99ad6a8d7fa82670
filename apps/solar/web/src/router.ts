// Hash routes, so every page works behind the suite's static serving.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'dashboard', component: () => import('./views/dashboard-view.vue') },
    { path: '/market', name: 'market', component: () => import('./views/market-view.vue') },
    { path: '/bills', name: 'bills', component: () => import('./views/bills-view.vue') },
    { path: '/trade', name: 'trade', component: () => import('./views/trade-view.vue') },
    { path: '/certificates', name: 'certificates', component: () => import('./views/certificates-view.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});
