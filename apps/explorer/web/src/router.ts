// Hash routes, so every page works behind the suite's static serving and the ui kit's links
// (`/explorer/#/tx/<id>`) reach them from any app.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'home', component: () => import('./views/home-view.vue') },
    {
      path: '/block/:heightOrHash',
      name: 'block',
      component: () => import('./views/block-view.vue'),
      props: true,
    },
    { path: '/tx/:id', name: 'tx', component: () => import('./views/tx-view.vue'), props: true },
    {
      path: '/account/:address',
      name: 'account',
      component: () => import('./views/account-view.vue'),
      props: true,
    },
    { path: '/asset/:symbol', name: 'asset', component: () => import('./views/asset-view.vue'), props: true },
    { path: '/did/:did', name: 'did', component: () => import('./views/did-view.vue'), props: true },
    { path: '/validators', name: 'validators', component: () => import('./views/validators-view.vue') },
    { path: '/notary', name: 'notary', component: () => import('./views/notary-view.vue') },
    { path: '/members', name: 'members', component: () => import('./views/members-view.vue') },
    {
      path: '/members/proposals/:id',
      name: 'proposal',
      component: () => import('./views/proposal-view.vue'),
      props: true,
    },
    {
      path: '/search',
      name: 'search',
      component: () => import('./views/search-view.vue'),
      props: (route) => ({ q: typeof route.query.q === 'string' ? route.query.q : '' }),
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
  scrollBehavior: () => ({ top: 0 }),
});
