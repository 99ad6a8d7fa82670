// Build and test settings every suite front end shares, so an app's vite.config.ts says only what is its
// own: its id (it is served at /<id>/), its page head, and any extra entries or dev routes (types in
// vite.d.ts). In development the suite runs on PORT (default 8080, or SUITE_URL) and the dev server
// forwards the app's API and sessions, passport and the chain API to it.
import vue from '@vitejs/plugin-vue';

const SUITE_RED = '#c0392b';

function iconHref(color, glyph) {
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='8' fill='${color}'/><text x='16' y='23' font-size='19' text-anchor='middle' fill='white'>${glyph}</text></svg>`;
  return `data:image/svg+xml,${svg.replace(/[<>#"]/g, (c) => encodeURIComponent(c))}`;
}

export function suitePageHead(head) {
  const color = head.color ?? SUITE_RED;
  const tags = [
    { tag: 'meta', attrs: { name: 'description', content: head.description }, injectTo: 'head' },
    { tag: 'meta', attrs: { name: 'theme-color', content: color }, injectTo: 'head' },
    { tag: 'link', attrs: { rel: 'icon', href: iconHref(color, head.glyph) }, injectTo: 'head' },
    { tag: 'title', children: head.title, injectTo: 'head' },
  ];
  return { name: 'gongxin-page-head', transformIndexHtml: () => tags };
}

export function suiteViteConfig(opts) {
  const base = opts.base ?? `/${opts.id}/`;
  const target = process.env.SUITE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;
  const paths = opts.proxy ?? [
    `${base}api`,
    `${base}auth`,
    // Passport's own pages are this dev server's.
    ...(opts.id === 'passport' ? [] : ['/passport']),
    '/chain',
  ];
  return {
    base,
    plugins: [vue(), suitePageHead(opts.head)],
    build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500, ...opts.build },
    server: {
      proxy: Object.fromEntries([...paths, ...(opts.extraProxy ?? [])].map((path) => [path, target])),
    },
  };
}

export function suiteVitestConfig() {
  return {
    plugins: [vue()],
    test: {
      environment: 'happy-dom',
      // Mounting Element Plus views takes seconds on a loaded 2-core machine.
      testTimeout: 30_000,
      // element-plus ships per-component CSS imports; inlining lets Vite handle them instead of Node.
      server: { deps: { inline: [/element-plus/] } },
    },
  };
}
