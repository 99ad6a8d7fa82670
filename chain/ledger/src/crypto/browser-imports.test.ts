// Guards the browser bundle: nothing reachable from browser.ts may import a Node built-in.
// A bundler would either fail or silently polyfill node:crypto into the page.

import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const IMPORT =
  /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** Local files reachable from `entry` plus every bare specifier they import. */
function importGraph(entry: string): { files: string[]; externals: string[] } {
  const files = new Set<string>();
  const externals = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) {
        const target = join(dirname(file), specifier);
        pending.push(target.endsWith('.json') ? target : `${target}.ts`);
      } else {
        externals.add(specifier);
      }
    }
  }
  return { files: [...files], externals: [...externals] };
}

const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);

describe('browser entry point', () => {
  const browserGraph = importGraph(join(here, 'browser.ts'));

  it('imports no Node built-in, directly or transitively', () => {
    expect(browserGraph.externals.filter(isNodeBuiltin)).toEqual([]);
    expect(browserGraph.files.map((f) => f.slice(here.length + 1))).not.toContain('node.ts');
  });

  it('depends only on the pure-JS crypto packages', () => {
    const packages = new Set(
      browserGraph.externals.map((s) =>
        (s.startsWith('@') ? s.split('/').slice(0, 2) : s.split('/').slice(0, 1)).join('/'),
      ),
    );
    expect([...packages].sort()).toEqual(['@noble/curves', '@noble/hashes', 'sm-crypto-v2']);
  });

  it('the scan does see Node imports where they exist (node.ts)', () => {
    expect(importGraph(join(here, 'node.ts')).externals.filter(isNodeBuiltin)).toContain('node:crypto');
  });
});
