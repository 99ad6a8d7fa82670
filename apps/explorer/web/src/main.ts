import '@gongxin/ui/style.css';
import { createSuiteWeb, loadDecoderPacks } from '@gongxin/ui';
import { api } from './api';
import App from './app.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { router } from './router';
import './styles.css';

const web = createSuiteWeb({ id: 'explorer', root: App, messages: { 'zh-CN': zhCN, en }, router });
web.mount();

// Other apps' decoders arrive after the first paint; lines re-render as they register.
api.decoderPacks
  .query()
  .then((urls) => loadDecoderPacks(urls, web.i18n.global))
  .catch((error) => console.warn('explorer: no decoder packs', error));
