import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

// Besides the app, the explorer's decoder pack as its own entry (served at /parking/explorer-decoders.js).
export default defineConfig(
  suiteViteConfig({
    id: 'parking',
    head: {
      title: '智慧停车 · 共信 Gongxin',
      description: '共信智慧停车：找车缴费、电子收据链上核验、停车场运营与跨运营商日结',
      color: '#2563a8',
      glyph: '停',
    },
    build: {
      rollupOptions: {
        input: { main: 'index.html', 'explorer-decoders': 'src/explorer-decoders.ts' },
        preserveEntrySignatures: 'exports-only',
        // The explorer imports the pack by a fixed name.
        output: {
          entryFileNames: (chunk: { name: string }) =>
            chunk.name === 'explorer-decoders' ? 'explorer-decoders.js' : 'assets/[name]-[hash].js',
        },
      },
    },
  }),
);
