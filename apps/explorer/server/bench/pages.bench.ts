// `npm run bench -w @gongxin/explorer-server`: how fast the explorer's pages load on a chain of 100,000
// txs. One validator in this process builds the chain (signed transfers, red packets and notary anchors
// submitted in batches straight to node.submit), then the explorer is mounted and its indexer catches up
// from genesis (timed), then every page type is loaded over HTTP the way the web loads it — one batched
// tRPC GET per page — BENCH_REQUESTS times each, one at a time (what one person waits) and then several at
// a time (people sharing the server), from a client in another process, and p50/p95 are printed per page
// type.
//
//   BENCH_TXS=100000 BENCH_REQUESTS=200 BENCH_CONCURRENCY=1,4
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   (a fresh database is created and
//                                                                      dropped; default: in-memory PGlite)
import { spawn } from 'node:child_process';
import { type Database, openDatabase } from '@gongxin/db';
import { openFreshPostgres } from '@gongxin/db/testing';
import { type Action, signTx, toHex } from '@gongxin/ledger';
import type { TestAccount } from '@gongxin/ledger/testing';
import { type ExplorerChain, startExplorerChain } from '../test/chain';

const TXS = Number(process.env.BENCH_TXS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,4').split(',').map(Number);
const DATABASE_URL = process.env.BENCH_DATABASE_URL;
const ACCOUNTS = 1000;
/** Txs submitted before waiting for the mempool to drain: keeps blocks full but memory bounded. */
const WAVE = 5000;
const hash32 = (n: number) => n.toString(16).padStart(64, '0');

// A seeded generator, so two runs build the same chain.
let seed = 0x9e3779b9;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const ms = (n: number) => `${n.toFixed(1)} ms`;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function openBenchDatabase(): Promise<{ database: Database; kind: string }> {
  if (DATABASE_URL)
    return { database: await openFreshPostgres(DATABASE_URL, { max: 10 }), kind: 'PostgreSQL' };
  return { database: await openDatabase({ memory: true }), kind: 'PGlite (in memory)' };
}

/** Submits every tx, waiting for the mempool to drain between waves; resolves once all are committed. */
async function submitAll(chain: ExplorerChain, txs: Uint8Array[]): Promise<void> {
  const target = chain.node.stats.committedTxs + txs.length;
  const drained = () =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (chain.node.mempool.size < WAVE) {
          stop();
          resolve();
        }
      };
      const stop = chain.node.onBlock(check);
      check();
    });
  for (let i = 0; i < txs.length; i++) {
    if (i % WAVE === 0) await drained();
    chain.node.submit(txs[i]!);
  }
  await new Promise<void>((resolve) => {
    const stop = chain.node.onBlock(() => {
      if (chain.node.stats.committedTxs >= target) {
        stop();
        resolve();
      }
    });
  });
}

interface Load {
  ids: string[];
  merchant: TestAccount;
  accounts: TestAccount[];
  registered: TestAccount[];
}

/** The chain: transfers among 1000 accounts (a tenth to one busy merchant), anchors, red packets. */
async function buildChain(chain: ExplorerChain, issuer: TestAccount): Promise<Load> {
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => chain.account(10_000 + i));
  const merchant = accounts[0]!;
  const nonces = new Map<string, number>();
  const ids: string[] = [];
  const sign = (from: TestAccount, actions: Action[]) => {
    const nonce = nonces.get(from.address) ?? 0;
    nonces.set(from.address, nonce + 1);
    const body = { chainId: chain.genesis.chainId, from: from.address, key: from.publicKey, nonce, actions };
    const tx = signTx(chain.suite, body, from.privateKey);
    ids.push(toHex(tx.id));
    return tx.bytes;
  };

  // A few more assets, and identities for a hundred accounts.
  const setup: Uint8Array[] = [];
  for (const symbol of ['FOOD', 'SOLAR', 'PARK', 'WELF', 'COPY']) {
    setup.push(
      sign(issuer, [
        {
          contract: 'assets',
          name: 'issue',
          params: {
            symbol,
            name: `${symbol} points`,
            decimals: 2,
            policy: 'mintable',
            initialSupply: 10n ** 9n,
          },
        },
      ]),
    );
  }
  const registered = accounts.slice(1, 101);
  for (const a of registered)
    setup.push(sign(a, [{ contract: 'identity', name: 'register', params: { kind: 'person' } }]));
  await submitAll(chain, setup);

  const txs: Uint8Array[] = [];
  const packets: string[] = [];
  const expiresAt = Date.now() + 24 * 3_600_000;
  while (txs.length < TXS - setup.length) {
    const from = pick(accounts);
    const roll = random();
    let actions: Action[];
    if (roll < 0.7) {
      const to = random() < 0.1 ? merchant : pick(accounts);
      if (to === from) continue;
      actions = [
        {
          contract: 'assets',
          name: 'transfer',
          params: { symbol: 'CNYX', to: to.address, amount: BigInt(1 + Math.floor(random() * 10_000)) },
        },
      ];
    } else if (roll < 0.9) {
      actions = [
        {
          contract: 'notary',
          name: 'anchor',
          params: { hash: hash32(txs.length + 1), type: 'bench', meta: { n: txs.length } },
        },
      ];
    } else if (roll < 0.95 || packets.length === 0) {
      actions = [
        {
          contract: 'assets',
          name: 'createPacket',
          params: { symbol: 'CNYX', total: 1000n, count: 5, split: 'random', expiresAt },
        },
      ];
    } else {
      // Some claims find the packet emptied or not yet created, and fail: as in life.
      actions = [{ contract: 'assets', name: 'claimPacket', params: { id: pick(packets) } }];
    }
    txs.push(sign(from, actions));
    // A red packet's id is the id of the tx that created it.
    if (actions[0]!.name === 'createPacket') packets.push(ids[ids.length - 1]!);
  }
  await submitAll(chain, txs);
  return { ids, merchant, accounts, registered };
}

interface Page {
  name: string;
  /** The tRPC calls of one page load, sent as one batch like the web's httpBatchLink. */
  calls: () => [string, unknown][];
}

/** The URL of one page load: its calls as one batched tRPC GET, as the web's httpBatchLink sends them. */
function pageUrl(calls: [string, unknown][]): string {
  const input = Object.fromEntries(calls.map(([, i], n) => [n, i ?? {}]));
  return `/explorer/api/trpc/${calls.map(([p]) => p).join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
}

/** Loads every page `REQUESTS` times from load-client.mjs; resolves with the sorted times per page. */
function timePages(base: string, pages: Page[], concurrency: number): Promise<Record<string, number[]>> {
  const job = {
    base,
    concurrency,
    pages: pages.map((p) => ({
      name: p.name,
      urls: Array.from({ length: REQUESTS }, () => pageUrl(p.calls())),
    })),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [new URL('./load-client.mjs', import.meta.url).pathname], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load client exited with ${code}`)),
    );
    child.stdin.end(JSON.stringify(job));
  });
}

async function main() {
  const { database, kind } = await openBenchDatabase();
  const chain = await startExplorerChain({
    database,
    mount: false,
    blockLimits: { commitDelayMs: 50, maxTxs: 2000 },
    contracts: ({ account }) => {
      const [authority, issuer] = [account(10), account(20)];
      const holders = Array.from({ length: ACCOUNTS }, (_, i) => account(10_000 + i).address);
      return {
        governance: {
          authorities: [{ address: authority.address, name: 'Bench authority', scopes: ['identity'] }],
        },
        identity: {
          accounts: [{ address: issuer.address, kind: 'organization' }],
          attestations: [{ subject: issuer.address, kind: 'organization', idHash: hash32(7) }],
        },
        assets: {
          assets: [
            {
              symbol: 'CNYX',
              name: 'Bench yuan',
              decimals: 2,
              policy: 'mintable',
              issuer: issuer.address,
              balances: Object.fromEntries(holders.map((a) => [a, '100000000'])),
            },
          ],
        },
      };
    },
  });
  try {
    console.log(
      `explorer page benchmark: ${TXS} txs on ${kind}, ${REQUESTS} requests per page and concurrency`,
    );
    let start = performance.now();
    const load = await buildChain(chain, chain.account(20));
    const built = (performance.now() - start) / 1000;
    const head = chain.node.head.height;
    console.log(
      `chain built: ${load.ids.length} txs in ${head} blocks in ${built.toFixed(1)} s (${(load.ids.length / built).toFixed(0)} tx/s)`,
    );

    start = performance.now();
    await chain.mountExplorer();
    await chain.caughtUp(60 * 60_000);
    const indexed = (performance.now() - start) / 1000;
    console.log(
      `indexer caught up from genesis: ${head} blocks, ${load.ids.length} txs in ${indexed.toFixed(1)} s ` +
        `(${(load.ids.length / indexed).toFixed(0)} tx/s)`,
    );

    const hashes = await Promise.all(
      Array.from({ length: 50 }, () => chain.services.chain.client.getBlock(1 + Math.floor(random() * head))),
    ).then((blocks) => blocks.map((b) => b.hash));
    const activityCursors = new Map<string, string>();
    for (const a of [load.merchant, ...load.accounts.slice(1, 50)]) {
      const first: { activity: { nextCursor: string | null } } = await chain.query('accounts.get', {
        address: a.address,
      });
      if (first.activity.nextCursor) activityCursors.set(a.address, first.activity.nextCursor);
    }
    const busy = () => (random() < 0.2 ? load.merchant : pick(load.accounts));
    const pages: Page[] = [
      {
        name: 'home',
        calls: () => [
          ['blocks.latest', { limit: 10 }],
          ['txs.latest', { limit: 10 }],
          ['assets.list', { limit: 10 }],
          ['health', undefined],
        ],
      },
      { name: 'block', calls: () => [['blocks.get', { ref: String(1 + Math.floor(random() * head)) }]] },
      { name: 'tx', calls: () => [['txs.get', { id: pick(load.ids) }]] },
      { name: 'account', calls: () => [['accounts.get', { address: busy().address }]] },
      {
        name: 'account, next activity page',
        calls: () => {
          const [address, cursor] = pick([...activityCursors]);
          return [['accounts.activity', { address, cursor }]];
        },
      },
      { name: 'asset', calls: () => [['assets.get', { symbol: pick(['CNYX', 'FOOD', 'SOLAR']) }]] },
      { name: 'DID', calls: () => [['dids.get', { did: `did:gx:${pick(load.registered).address}` }]] },
      { name: 'validators', calls: () => [['validators.list', undefined]] },
      { name: 'search: height', calls: () => [['search', { q: String(1 + Math.floor(random() * head)) }]] },
      { name: 'search: block hash', calls: () => [['search', { q: pick(hashes) }]] },
      { name: 'search: tx id', calls: () => [['search', { q: pick(load.ids) }]] },
      { name: 'search: address', calls: () => [['search', { q: busy().address }]] },
      { name: 'search: DID', calls: () => [['search', { q: `did:gx:${pick(load.registered).address}` }]] },
      { name: 'search: symbol', calls: () => [['search', { q: pick(['cnyx', 'FOOD', 'solar']) }]] },
    ];

    await timePages(chain.url, pages, 1); // warm-up round, not counted
    const runs: Record<string, number[]>[] = [];
    for (const concurrency of CONCURRENCY) runs.push(await timePages(chain.url, pages, concurrency));
    let worst = 0;
    const rows = pages.map((page) => [
      page.name,
      ...runs.flatMap((run) => {
        const times = run[page.name]!;
        const p95 = quantile(times, 0.95);
        worst = Math.max(worst, p95);
        return [ms(quantile(times, 0.5)), ms(p95)];
      }),
    ]);
    const header = ['page', ...CONCURRENCY.flatMap((c) => [`p50 ×${c}`, `p95 ×${c}`])];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log(
      `\n(×N: N requests in flight at once)\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`,
    );
    for (const row of rows) console.log(line(row));
    console.log(`\nworst p95 ${worst.toFixed(1)} ms: ${worst < 200 ? 'within' : 'OVER'} the 200 ms target`);
  } finally {
    await chain.close();
    await database.close();
  }
}

await main();
