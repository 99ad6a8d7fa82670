import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  // element-plus ships per-component CSS imports; inlining lets Vite handle them instead of Node.
  // Mounting Element Plus views takes seconds on a loaded 2-core machine: generous timeouts.
  test: {
    environment: 'happy-dom',
    testTimeout: 30_000,
    server: { deps: { inline: [/element-plus/] } },
  },
});
