// Builds the node's command line to JavaScript (dist/bin/gongxin.js, with its signature verifier thread
// dist/bin/verify-worker.js), so node processes start and run without compiling TypeScript on the fly.
// Our workspace packages (@gongxin/*) are compiled into the bundle; every other package stays an import
// from node_modules. Source maps point back at the TypeScript sources.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ours = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@gongxin/') || args.path.startsWith('node:')
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

const result = await build({
  entryPoints: { gongxin: 'src/cli.ts', 'verify-worker': 'src/verify/worker-main.ts' },
  outdir: 'dist/bin',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  conditions: ['node'],
  // Node's built-ins stay imports; the verifier thread's file is the built one.
  external: ['node:*'],
  define: { GONGXIN_BUILT_WORKER: JSON.stringify('./verify-worker.js') },
  plugins: [ours],
  logLevel: 'warning',
  metafile: true,
});

// What the build was compiled from, for bin/gongxin.mjs to tell whether it is still current.
const inputs = Object.keys(result.metafile.inputs)
  .filter((f) => !f.includes('node_modules'))
  .map((f) => path.relative('dist/bin', f));
writeFileSync('dist/bin/sources.json', `${JSON.stringify(inputs, null, 1)}\n`);
