#!/usr/bin/env node
// The node's command line. It runs the compiled JavaScript (dist/bin/gongxin.js, made by `npm run build`)
// when that is newer than every source it was compiled from, and otherwise the TypeScript sources through
// tsx's loader, so an edited source is never shadowed by an old build. GONGXIN_FROM_SOURCE=1 forces the
// sources.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/bin/gongxin.js', import.meta.url));
const sources = fileURLToPath(new URL('../dist/bin/sources.json', import.meta.url));

/** The build exists and no source it was compiled from has changed (or gone) since. */
function useBuilt() {
  if (process.env.GONGXIN_FROM_SOURCE === '1' || !existsSync(built) || !existsSync(sources)) return false;
  const at = statSync(built).mtimeMs;
  const dir = new URL('../dist/bin/', import.meta.url);
  return JSON.parse(readFileSync(sources, 'utf8')).every((f) => {
    const p = fileURLToPath(new URL(f, dir));
    return existsSync(p) && statSync(p).mtimeMs <= at;
  });
}

let main;
if (useBuilt()) {
  process.setSourceMapsEnabled(true);
  ({ main } = await import(built));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error) => {
    console.error(`gongxin: ${error.message}`);
    process.exit(1);
  },
);
