// Hash routes, so every page works behind the suite's static serving. A red packet's share link is
// `/wallet/#/packet/<id>`.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'balances', component: () => import('./views/balances-view.vue') },
    { path: '/send', name: 'send', component: () => import('./views/send-view.vue') },
    { path: '/receive', name: 'receive', component: () => import('./views/receive-view.vue') },
    { path: '/history', name: 'history', component: () => import('./views/history-view.vue') },
    { path: '/issue', name: 'issue', component: () => import('./views/issue-view.vue') },
    { path: '/packets', name: 'packets', component: () => import('./views/packets-view.vue') },
    { path: '/channels', name: 'channels', component: () => import('./views/channels-view.vue') },
    {
      path: '/packet/:id',
      name: 'packet',
      component: () => import('./views/packet-view.vue'),
      props: true,
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});
