import { createSuiteI18n } from '@gongxin/ui';
// Element Plus first, the suite's style after it: the suite's colours (its --el-color-primary…) win, as in
// the other apps.
import 'element-plus/dist/index.css';
import '@gongxin/ui/style.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './app.vue';
import { registerFoodDecoders } from './decoders';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { router } from './router';

const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
registerFoodDecoders(i18n.global as never);
createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');
