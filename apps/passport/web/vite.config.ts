import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

export default defineConfig(
  suiteViteConfig({
    id: 'passport',
    head: { title: '护照 · 共信 Gongxin', description: '共信护照：实名链上身份与统一登录', glyph: '护' },
    extraProxy: ['/passport/oidc'],
  }),
);
