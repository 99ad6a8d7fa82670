import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Served by the suite at /passport/. In development the suite runs on PORT (default 8080) and the dev
// server forwards passport's API, sessions, the OpenID Provider and the chain API to it.
const target = process.env.SUITE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  base: '/passport/',
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/passport/api': target,
      '/passport/auth': target,
      '/passport/oidc': target,
      '/chain': target,
    },
  },
});
