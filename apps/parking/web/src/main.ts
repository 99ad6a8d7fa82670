// Element Plus first, the suite's style after it, as in the other apps.
import 'element-plus/dist/index.css';
import '@gongxin/ui/style.css';
import { createSuiteWeb, installDecoderPack } from '@gongxin/ui';
import App from './app.vue';
import pack from './explorer-decoders';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { router } from './router';

const web = createSuiteWeb({ id: 'parking', root: App, messages: { 'zh-CN': zhCN, en }, router });
// The parking contract's actions in words in this app's sign dialog: the pack the explorer loads too.
installDecoderPack(pack, web.i18n.global as never);
web.mount();
