import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Served by the suite at /explorer/. In development the suite runs on PORT (default 8080) and the dev
// server forwards the explorer's API and the chain API to it.
const target = process.env.SUITE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  base: '/explorer/',
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/explorer/api': target, '/chain': target } },
});
