import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Served by the suite at /food/. Two entries: the staff app (index.html, Vue + Element Plus) and the
// consumer page's verification script (no framework; the server renders that page and finds the script
// through the manifest). In development the dev server forwards the food API and the chain to the suite.
const target = process.env.SUITE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  base: '/food/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 1500,
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
  server: {
    proxy: {
      '/food/api': target,
      '/food/auth': target,
      '/food/01': target,
      '/food/qr': target,
      '/passport': target,
      '/chain': target,
    },
  },
});
