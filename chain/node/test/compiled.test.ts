// The node process as it runs in a network: its compiled JavaScript build when that is current (the
// sources through tsx otherwise, or when asked), and batches of txs from the API verified on its
// verifier threads, as its metrics show.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHex } from '@gongxin/ledger';
import { signedTx, testAccount } from '@gongxin/ledger/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../src/cluster';
import { freeBasePort, suite } from './helpers';

const root = fileURLToPath(new URL('..', import.meta.url));
const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}, 120_000);

async function metric(apiUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} not in /metrics`);
  return Number(line.split(' ')[1]);
}

async function network(validators: number, basePort: number, env: Record<string, string> = {}) {
  const home = mkdtempSync(path.join(tmpdir(), 'gongxin-compiled-'));
  homes.push(home);
  const cluster = new Cluster({ home, validators, basePort, chainId: 'gongxin-compiled', env });
  await cluster.prepare();
  await cluster.startAll();
  return cluster;
}

describe('a node process', () => {
  it("runs its compiled build and verifies API batches and peers' txs on its verifier threads", async () => {
    const cluster = await network(2, await freeBasePort([0, 1, 10, 11], 1200, 10), {
      GONGXIN_VERIFY_WORKERS: '1',
    });
    try {
      const api = cluster.nodes[0]!.apiUrl;
      expect(await metric(api, 'gongxin_node_compiled')).toBe(1);
      const accounts = Array.from({ length: 10 }, (_, i) => testAccount(suite, 700 + i));
      const txs = accounts.flatMap((a) =>
        Array.from({ length: 5 }, (_, n) =>
          toHex(
            signedTx(suite, 'gongxin-compiled', a, n, [
              {
                contract: 'notary',
                name: 'anchor',
                params: { hash: toHex(suite.hash(new Uint8Array([n]))) },
              },
            ]),
          ),
        ),
      );
      const res = await fetch(`${api}/v1/txs/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ txs }),
      });
      const body = (await res.json()) as { results: ({ id: string } | { error: unknown })[] };
      expect(res.status).toBe(202);
      expect(body.results.filter((r) => 'id' in r)).toHaveLength(50);
      expect(await metric(api, 'gongxin_signatures_offloaded_total')).toBe(50);
      // The other validator got them by gossip, admitted them through its own threads, and both commit.
      const peer = cluster.nodes[1]!.apiUrl;
      const last = body.results.at(-1) as { id: string };
      const deadline = Date.now() + 60_000;
      while ((await fetch(`${peer}/v1/txs/${last.id}`)).status !== 200) {
        if (Date.now() > deadline) throw new Error('the batch did not commit on the peer');
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(await metric(peer, 'gongxin_node_compiled')).toBe(1);
      expect(await metric(peer, 'gongxin_signatures_offloaded_total')).toBeGreaterThan(0);
    } finally {
      await cluster.stopAll('SIGTERM');
    }
  }, 120_000);

  it('runs its TypeScript sources when asked to', async () => {
    const cluster = await network(1, await freeBasePort([0, 1], 1200, 10), { GONGXIN_FROM_SOURCE: '1' });
    try {
      expect(await metric(cluster.nodes[0]!.apiUrl, 'gongxin_node_compiled')).toBe(0);
    } finally {
      await cluster.stopAll('SIGTERM');
    }
  }, 120_000);
});
