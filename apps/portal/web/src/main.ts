import { createSuiteI18n } from '@gongxin/ui';
import '@gongxin/ui/style.css';
import { createApp } from 'vue';
import App from './app.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

createApp(App)
  .use(createSuiteI18n({ 'zh-CN': zhCN, en }))
  .mount('#app');
