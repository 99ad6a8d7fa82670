// Element Plus first, the suite's style after it: the suite's colours (its --el-color-primary…) win, as in
// the other apps.
import 'element-plus/dist/index.css';
import '@gongxin/ui/style.css';
import { createSuiteWeb } from '@gongxin/ui';
import App from './app.vue';
import { registerCopyrightDecoders } from './decoders';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { router } from './router';

const web = createSuiteWeb({ id: 'copyright', root: App, messages: { 'zh-CN': zhCN, en }, router });
registerCopyrightDecoders(web.i18n.global as never);
web.mount();
