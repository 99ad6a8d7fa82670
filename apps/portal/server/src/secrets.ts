// The suite secret, from which passport and every app derive their OIDC client credentials. On the
// embedded default it is generated once into DATA_DIR; a deployment sets SUITE_SECRET.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '@gongxin/config';

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
