import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

// The explorer's decoder pack is a second entry, served at /solar/explorer-decoders.js.
export default defineConfig(
  suiteViteConfig({
    id: 'solar',
    head: {
      title: '能源链 · 共信 Gongxin',
      description: '共信能源链：光伏电表签名上链、15 分钟电力交易、绿证与补贴凭证',
      color: '#d97706',
      glyph: '能',
    },
    build: {
      manifest: true,
      rollupOptions: {
        input: { main: 'index.html', 'explorer-decoders': 'src/explorer-decoders.ts' },
        preserveEntrySignatures: 'exports-only',
      },
    },
  }),
);
