import { suiteViteConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vite';

// Besides the app, the explorer's decoder pack as its own entry (served at /registry/explorer-decoders.js).
export default defineConfig(
  suiteViteConfig({
    id: 'registry',
    head: {
      title: '企业链 · 共信 Gongxin',
      description: '共信企业链：企业登记、年报、经营异常名录、认证证书核验与供需对接',
      color: '#1d5fa8',
      glyph: '企',
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
