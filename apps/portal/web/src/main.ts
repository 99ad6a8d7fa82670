import '@gongxin/ui/style.css';
import { createSuiteWeb } from '@gongxin/ui';
import App from './app.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

// The landing page has no keyring and no session of its own.
createSuiteWeb({ id: 'portal', root: App, messages: { 'zh-CN': zhCN, en }, pinia: false }).mount();
