// `gongxin node start --state-sync` (runNode with stateSync): a node folder with an empty database joins a
// running one-validator network from the validator's signed snapshot, starts at its height, and follows
// the chain from there by block sync.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toHex } from '@gongxin/ledger';
import { afterAll, describe, expect, it } from 'vitest';
import { init } from '../src/cli';
import { loadOrCreateNodeKey } from '../src/keys';
import { runNode } from '../src/run';
import { ChainStore } from '../src/storage/store';
import { freeBasePort, quietLogger, suite } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-join-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('node start --state-sync', () => {
  it('a new node folder joins the running network from its snapshot and follows it', async () => {
    // The validator's p2p and API ports, and the joining node's p2p port.
    const basePort = await freeBasePort([0, 1, 100], 6000, 2);
    const [n1] = init({
      home: dir,
      validators: 1,
      chainId: 'gongxin-join',
      suite: 'ed25519-sha256',
      host: '127.0.0.1',
      basePort,
    });
    // A full node's folder: the same genesis, its own key, the validator as its peer (which admits it).
    const n2 = path.join(dir, 'node2');
    mkdirSync(n2, { recursive: true });
    const { key } = loadOrCreateNodeKey(suite, path.join(n2, 'validator-key.json'));
    const c1 = JSON.parse(readFileSync(path.join(n1!.dir, 'config.json'), 'utf8'));
    writeFileSync(
      path.join(n1!.dir, 'config.json'),
      JSON.stringify({ ...c1, admitted: [toHex(key.publicKey)] }),
    );
    const v1 = loadOrCreateNodeKey(suite, path.join(n1!.dir, 'validator-key.json')).key;
    writeFileSync(
      path.join(n2, 'config.json'),
      JSON.stringify({
        name: 'node2',
        genesis: '../genesis.json',
        p2p: { host: '127.0.0.1', port: basePort + 100 },
        api: { host: '127.0.0.1', port: 0 },
        peers: [{ url: `ws://127.0.0.1:${n1!.p2p}`, key: toHex(v1.publicKey) }],
      }),
    );
    const blockLimits = { commitDelayMs: 5, emptyBlockIntervalMs: 40 };
    // The validator makes some blocks, and restarts: it takes a snapshot of the state it starts with.
    let validator = await runNode(n1!.dir, { logger: quietLogger, blockLimits });
    await waitFor('30 blocks', () => validator.node.head.height >= 30);
    await validator.stop();
    validator = await runNode(n1!.dir, { logger: quietLogger, blockLimits });
    const snapshotHeight = validator.node.head.height;
    try {
      const joined = await runNode(n2, { logger: quietLogger, blockLimits, stateSync: true });
      try {
        expect(joined.node.head.height).toBeGreaterThanOrEqual(snapshotHeight);
        // Headers from genesis, no bodies below the snapshot.
        const store = new ChainStore(joined.node.store.database);
        expect((await store.headersFrom(1, 1))[0]!.header.height).toBe(1);
        expect(await store.bodiesFrom()).toBe(snapshotHeight + 1);
        // It follows the chain by block sync.
        const target = validator.node.head.height + 5;
        await waitFor('the joined node following', () => joined.node.head.height >= target);
        const [mine] = await store.headersFrom(target, 1);
        const [theirs] = await validator.node.store.headersFrom(target, 1);
        expect(toHex(mine!.hash)).toBe(toHex(theirs!.hash));
      } finally {
        await joined.stop();
      }
    } finally {
      await validator.stop();
    }
  }, 120_000);
});
