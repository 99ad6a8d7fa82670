// The suite secret (from which passport and every app derive their OIDC client credentials) and the
// merging of apps' genesis sections. On the embedded default the secret is generated once into DATA_DIR;
// a deployment sets SUITE_SECRET.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '@gongxin/config';
import type { Value, ValueMap } from '@gongxin/ledger';

export function loadSuiteSecret(config: Config): string {
  if (config.suiteSecret) return config.suiteSecret;
  const file = path.resolve(config.dataDir, 'suite-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** Merge genesis sections by contract; lists under the same key are concatenated, maps merged. */
export function mergeGenesis(parts: Record<string, Value>[]): Record<string, Value> {
  const out: Record<string, Value> = {};
  const merge = (a: Value | undefined, b: Value): Value => {
    if (a === undefined) return b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    if (
      a &&
      b &&
      typeof a === 'object' &&
      typeof b === 'object' &&
      !(a instanceof Uint8Array) &&
      !(b instanceof Uint8Array) &&
      !Array.isArray(a) &&
      !Array.isArray(b)
    ) {
      const m: Record<string, Value> = { ...(a as ValueMap) };
      for (const [k, v] of Object.entries(b as ValueMap)) m[k] = merge(m[k], v);
      return m;
    }
    throw new Error('conflicting genesis values from two apps');
  };
  for (const part of parts) for (const [k, v] of Object.entries(part)) out[k] = merge(out[k], v);
  return out;
}
