import '@gongxin/ui/style.css';
import { createSuiteWeb } from '@gongxin/ui';
import App from './app.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { router } from './router';

createSuiteWeb({ id: 'wallet', root: App, messages: { 'zh-CN': zhCN, en }, router }).mount();
