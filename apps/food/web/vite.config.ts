import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

// Two entries besides the staff app: the consumer page's verification script (no framework; the server
// renders that page and finds the script through the manifest) and the explorer's decoder pack.
export default defineConfig(
  suiteViteConfig({
    id: 'food',
    head: {
      title: '食品溯源 · 共信 Gongxin',
      description: '共信食品溯源：从农田到餐桌，GS1 EPCIS 2.0 事件上链',
      color: '#1f7a4d',
      glyph: '食',
    },
    extraProxy: ['/food/01', '/food/qr'],
    build: {
      manifest: true,
      rollupOptions: {
        input: {
          main: 'index.html',
          consumer: 'src/consumer/main.ts',
          'explorer-decoders': 'src/explorer-decoders.ts',
        },
        // The explorer imports the decoder pack by URL: its exports must survive as written.
        preserveEntrySignatures: 'exports-only',
      },
    },
  }),
);
