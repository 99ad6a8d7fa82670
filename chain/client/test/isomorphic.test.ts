import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.join(import.meta.dirname, '../src');

describe('the client source', () => {
  it('imports nothing Node-only, and the node package only for types', () => {
    for (const file of readdirSync(src).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(src, file), 'utf8');
      const imports = [...text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)];
      for (const [, , typeOnly, from] of imports) {
        expect(from!.startsWith('node:'), `${file} imports ${from}`).toBe(false);
        if (from!.startsWith('@gongxin/node'))
          expect(typeOnly, `${file} imports values from ${from}`).toBeTruthy();
      }
      expect(text).not.toMatch(/\bprocess\.|\bBuffer\b|require\(/);
    }
  });
});
