import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

// The landing page, served at the suite's root; in development its API calls go to the suite.
export default defineConfig(
  suiteViteConfig({
    id: 'portal',
    base: '/',
    head: {
      title: '共信 Gongxin',
      description: '共信 Gongxin — 政务、企业与公众应用共享的许可链',
      glyph: '信',
    },
    proxy: ['/api', '/healthz', '/metrics'],
    build: { chunkSizeWarningLimit: 800 },
  }),
);
