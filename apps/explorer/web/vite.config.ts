import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

export default defineConfig(
  suiteViteConfig({
    id: 'explorer',
    head: {
      title: '共信 · 区块浏览器',
      description: '共信区块浏览器：追溯每一笔交易，在浏览器中验证每一条记录',
      glyph: '信',
    },
  }),
);
