import { createSuiteI18n } from '@gongxin/ui';
import '@gongxin/ui/style.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './app.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { router } from './router';

createApp(App)
  .use(createPinia())
  .use(createSuiteI18n({ 'zh-CN': zhCN, en }))
  .use(router)
  .mount('#app');
