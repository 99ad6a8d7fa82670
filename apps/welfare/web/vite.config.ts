import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

// The staff and public app, plus the explorer's decoder pack as its own entry.
export default defineConfig(
  suiteViteConfig({
    id: 'welfare',
    head: {
      title: '最低生活保障 · 共信 Gongxin',
      description: '共信低保：申请、调查、公示、审批，按月批量发放上链，资金流向公开可查',
      color: '#b7472a',
      glyph: '保',
    },
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
