import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Served by the suite at /wallet/. In development the suite runs on PORT (default 8080) and the dev server
// forwards the wallet's API and sessions and the chain API to it.
const target = process.env.SUITE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  base: '/wallet/',
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/wallet/api': target,
      '/wallet/auth': target,
      '/passport': target,
      '/chain': target,
    },
  },
});
