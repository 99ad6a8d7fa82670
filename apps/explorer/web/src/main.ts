import { createSuiteI18n, loadDecoderPacks } from '@gongxin/ui';
import '@gongxin/ui/style.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { api } from './api';
import App from './app.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { router } from './router';
import './styles.css';

const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');

// Other apps' decoders arrive after the first paint; lines re-render as they register.
api.decoderPacks
  .query()
  .then((urls) => loadDecoderPacks(urls, i18n.global))
  .catch((error) => console.warn('explorer: no decoder packs', error));
