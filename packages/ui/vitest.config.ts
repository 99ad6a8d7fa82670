import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  // element-plus ships per-component CSS imports; inlining lets Vite handle them instead of Node.
  test: {
    // One module graph per worker for all its files, not one per file: these suites keep no state between
    // files (stubs and fake timers are undone after each test), and importing Vue and Element Plus again
    // for every file cost several times the CPU of the tests themselves.
    isolate: false,
    environment: 'happy-dom',
    server: { deps: { inline: [/element-plus/] } },
  },
});
