// Hash routes, so every page works behind the suite's static serving without server-side routes. The
// OpenID Provider sends people to `/passport/#/login/<uid>`.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'home', component: () => import('./views/home-view.vue') },
    { path: '/register', name: 'register', component: () => import('./views/register-view.vue') },
    { path: '/login/:uid', name: 'login', component: () => import('./views/login-view.vue'), props: true },
    { path: '/review', name: 'review', component: () => import('./views/review-view.vue') },
    { path: '/roles', name: 'roles', component: () => import('./views/roles-view.vue') },
    { path: '/profile', name: 'profile', component: () => import('./views/profile-view.vue') },
    { path: '/clients', name: 'clients', component: () => import('./views/clients-view.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});
