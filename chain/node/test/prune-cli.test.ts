// `gongxin prune` on a node folder: the bodies below a height go to an archive and leave the database,
// the headers stay, and the node's chain still loads at its head.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '@gongxin/db';
import type { MemoryState } from '@gongxin/ledger';
import { signedTx } from '@gongxin/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli';
import { checkExport } from '../src/export';
import { genesisToJson } from '../src/genesis';
import { ChainStore } from '../src/storage/store';
import { generateChain } from '../src/sync/generate';
import { chainId, contracts, genesisFor, quietLogger, suite, users, validators } from './helpers';

const home = mkdtempSync(path.join(tmpdir(), 'gongxin-prune-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('gongxin prune', () => {
  it('archives and drops the bodies below --below, keeping every header', async () => {
    const vals = validators(1);
    const genesis = genesisFor(vals);
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'genesis.json'), JSON.stringify(genesisToJson(genesis)));
    const config = {
      name: 'node1',
      genesis: 'genesis.json',
      p2p: { host: '127.0.0.1', port: 0 },
      api: { host: '127.0.0.1', port: 0 },
      peers: [],
    };
    writeFileSync(path.join(home, 'config.json'), JSON.stringify(config));
    const txsAt = (height: number, state: MemoryState) => {
      const nonce = (state.get(`core/nonce/${users[0]!.address}`) as number | undefined) ?? 0;
      return [
        signedTx(suite, chainId, users[0]!, nonce, [
          { contract: 'counter', name: 'add', params: { by: height } },
        ]),
      ];
    };
    let database = await openDatabase({ dataDir: home, name: 'node1', logger: quietLogger });
    await generateChain({
      database,
      genesis,
      suite,
      contracts,
      keys: vals.map((v) => v.account),
      blocks: 50,
      txsAt,
    });
    await database.close();

    const archive = path.join(home, 'old.export');
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      expect(await main(['prune', '--home', home, '--below', '40', '--out', archive])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(lines.join('\n')).toContain(`archived blocks 1–39 to ${archive}`);
    expect(lines.join('\n')).toContain('block bodies kept from height 40');
    expect((await checkExport(archive)).blocks).toBe(39);
    database = await openDatabase({ dataDir: home, name: 'node1', logger: quietLogger });
    try {
      const store = new ChainStore(database);
      expect(await store.count('txs')).toBe(11);
      expect(await store.count('blocks')).toBe(50);
      expect((await store.load(chainId)).head.height).toBe(50);
    } finally {
      await database.close();
    }
  }, 120_000);
});
