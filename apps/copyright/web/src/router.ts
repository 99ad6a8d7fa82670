// Hash routes, so every page works behind the suite's static serving. The certificate's QR code opens
// /copyright/verify/<work id>, which the server redirects to `#/verify/<work id>`.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'search', component: () => import('./views/search-view.vue') },
    { path: '/verify/:id', name: 'verify', component: () => import('./views/verify-view.vue') },
    { path: '/works', name: 'works', component: () => import('./views/works-view.vue') },
    { path: '/register', name: 'register', component: () => import('./views/register-view.vue') },
    { path: '/review', name: 'review', component: () => import('./views/review-view.vue') },
    { path: '/market', name: 'market', component: () => import('./views/market-view.vue') },
    { path: '/evidence', name: 'evidence', component: () => import('./views/evidence-view.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});
