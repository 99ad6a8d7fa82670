// Hash routes, so every page works behind the suite's static serving.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'public', component: () => import('./views/public-view.vue') },
    { path: '/payments', name: 'payments', component: () => import('./views/payments-view.vue') },
    { path: '/workbench', name: 'workbench', component: () => import('./views/workbench-view.vue') },
    { path: '/cycles', name: 'cycles', component: () => import('./views/cycle-view.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});
