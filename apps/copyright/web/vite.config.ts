import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

// Two entries: the app and the explorer's decoder pack (served at /copyright/explorer-decoders.js).
export default defineConfig(
  suiteViteConfig({
    id: 'copyright',
    head: {
      title: '版权 · 共信 Gongxin',
      description: '共信版权：作品登记与相似作品检索、授权交易、侵权取证，证书扫码即可在浏览器中验证',
      color: '#8e44ad',
      glyph: '版',
    },
    extraProxy: ['/copyright/verify'],
    build: {
      manifest: true,
      rollupOptions: {
        input: { main: 'index.html', 'explorer-decoders': 'src/explorer-decoders.ts' },
        // The explorer imports the decoder pack by URL: its exports must survive as written.
        preserveEntrySignatures: 'exports-only',
      },
    },
  }),
);
