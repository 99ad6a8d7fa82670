import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  // element-plus ships per-component CSS imports; inlining lets Vite handle them instead of Node.
  test: { environment: 'happy-dom', server: { deps: { inline: [/element-plus/] } } },
});
