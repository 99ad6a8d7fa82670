import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

export default defineConfig(
  suiteViteConfig({
    id: 'wallet',
    head: {
      title: '钱包 · 共信 Gongxin',
      description: '共信钱包：持有与转移数字资产，发行资产，发红包',
      glyph: '钱',
    },
  }),
);
