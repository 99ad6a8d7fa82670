import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// In development the portal server runs on PORT (default 8080); the dev server forwards API calls to it.
const apiTarget = process.env.PORTAL_API ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': apiTarget, '/healthz': apiTarget, '/metrics': apiTarget } },
});
