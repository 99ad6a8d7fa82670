// Element Plus first, the suite's style after it, as in the other apps.
import 'element-plus/dist/index.css';
import '@gongxin/ui/style.css';
import { createSuiteWeb } from '@gongxin/ui';
import App from './app.vue';
import { registerRegistryDecoders } from './decoders';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { router } from './router';

const web = createSuiteWeb({ id: 'registry', root: App, messages: { 'zh-CN': zhCN, en }, router });
registerRegistryDecoders(web.i18n.global as never);
web.mount();
