// Bulk import and lookups at province scale, against PostgreSQL. BENCH_ENTERPRISES (default 1,000,000)
// enterprises of a legacy register are migrated as batched txs: registering authorities
// (BENCH_AUTHORITIES of them send at once) each send txs of one `importBatch` action, as many records
// as fit the ledger's 64 KiB tx (about 250), with the batch's Merkle root; the contract checks every
// record (USCC check characters, required fields, representative's passport, no duplicate USCC) and
// recomputes the root. One embedded validator; its chain and the app's read models live in PostgreSQL;
// the import ends when the indexer has caught up. BENCH_MODE=register instead sends each enterprise as a
// `register` filing accepted by `decideRegistration` (txs of 16 each), the path before bulk import.
// BENCH_TIME_LIMIT_S stops sending after that long (default 1800 s) and projects the figure from the
// rate reached. Then lookups through the app's own search procedure: by USCC and by name prefix, p50 and
// p99 over BENCH_LOOKUPS each. Raw baseline measured in the same run: Ed25519 verifies per second and a
// bare `SELECT 1` round trip on the same database.
//   npm run bench -w @gongxin/registry-server   (BENCH_DATABASE_URL, BENCH_ENTERPRISES, BENCH_MODE, …)
// Targets: import < 10 min; lookup p99 < 50 ms.
import {
  accountFromPrivateKey,
  ChainError,
  createChainClient,
  createWallet,
  type Wallet,
} from '@gongxin/client';
import { completeUscc, type ImportRecord, importRoot, orgCodeCheckChar } from '@gongxin/contracts';
import { openDatabase } from '@gongxin/db';
import { type Action, encodeCanonical, MAX_ACTIONS, MAX_TX_BYTES, toHex, type Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount } from '@gongxin/ledger/testing';
import { sql } from 'drizzle-orm';
import { startRegistryHarness } from '../test/harness';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/registry_bench';
const N = Number(process.env.BENCH_ENTERPRISES ?? 1_000_000);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 64);
const AUTHORITIES = Number(process.env.BENCH_AUTHORITIES ?? (process.env.BENCH_MODE === 'register' ? 16 : 8));
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 2000);
const MODE = process.env.BENCH_MODE === 'register' ? 'register' : 'batch';
const TIME_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_S ?? 1800) * 1000;
/** Room left in a tx for its envelope (chain id, sender, key, nonce, signature) and the root. */
const BATCH_BYTES = MAX_TX_BYTES - 2_048;

const suite = getSuite('ed25519-sha256');
const reps = Array.from({ length: SENDERS }, (_, i) =>
  accountFromPrivateKey(suite, testAccount(suite, 7000 + i).privateKey),
);
const auths = Array.from({ length: AUTHORITIES }, (_, i) =>
  accountFromPrivateKey(suite, testAccount(suite, 8000 + i).privateKey),
);
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

// Names as a province's register reads: city, a two-character brand, a trade, a form.
const CITIES = [
  '广州市',
  '深圳市',
  '珠海市',
  '汕头市',
  '佛山市',
  '韶关市',
  '湛江市',
  '肇庆市',
  '江门市',
  '茂名市',
  '惠州市',
  '梅州市',
  '汕尾市',
  '河源市',
  '阳江市',
  '清远市',
  '东莞市',
  '中山市',
  '潮州市',
  '揭阳市',
  '云浮市',
];
const REGIONS = [
  '440100',
  '440300',
  '440400',
  '440500',
  '440600',
  '440200',
  '440800',
  '441200',
  '440700',
  '440900',
  '441300',
  '441400',
  '441500',
  '441600',
  '441700',
  '441800',
  '441900',
  '442000',
  '445100',
  '445200',
  '445300',
];
const BRAND = '华鹏粤海南星创源信达恒通宏盛金龙泰丰嘉禾新锐博远瑞祥德利广隆天成万通永兴鑫汇';
const TRADES = [
  '电子科技',
  '贸易',
  '食品',
  '物流',
  '纺织',
  '建材',
  '机械设备',
  '新能源',
  '医疗器械',
  '信息技术',
  '餐饮管理',
  '建筑工程',
];
const INDUSTRY = [
  'C3971',
  'F5191',
  'C1391',
  'G5430',
  'C1713',
  'C3021',
  'C3421',
  'D4416',
  'C3581',
  'I6510',
  'H6210',
  'E4710',
];

function enterprise(i: number) {
  let x = (i * 2_654_435_761) >>> 0;
  const next = (m: number) => {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    return (x >>> 8) % m;
  };
  const c = next(CITIES.length);
  const t = next(TRADES.length);
  const brand = BRAND[next(BRAND.length)]! + BRAND[next(BRAND.length)]!;
  const org8 = String(30_000_000 + i);
  return {
    uscc: completeUscc(`91${REGIONS[c]}${org8}${orgCodeCheckChar(org8)}`),
    name: `${CITIES[c]}${brand}${TRADES[t]}有限公司${i}`,
    industry: INDUSTRY[t]!,
    region: REGIONS[c]!,
  };
}

/** Enterprise i as its legacy register holds it. */
function importRecord(i: number): ImportRecord {
  const e = enterprise(i);
  return {
    uscc: e.uscc,
    name: e.name,
    legalForm: 'limited_company',
    capital: 1_000_000_00n,
    address: `广东省${e.name.slice(0, 3)}某区某路 ${(i % 999) + 1} 号`,
    industry: e.industry,
    establishedOn: '2015-06-01',
    representative: reps[i % SENDERS]!.address,
  };
}

function rawVerifyRate(): number {
  const key = testAccount(suite, 1);
  const message = new TextEncoder().encode('gongxin bench message');
  const signature = suite.sign(message, key.privateKey);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 2_000)
    for (let k = 0; k < 100; k++) if (suite.verify(signature, message, key.publicKey)) n++;
  return n / ((performance.now() - start) / 1000);
}

async function send(w: Wallet, actions: Action[]) {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await w.send(actions);
      if (!r.ok) throw new Error(`refused: ${r.message}`);
      return r;
    } catch (error) {
      // A full mempool or a closed pooled socket: wait and send again (counted).
      if (!(error instanceof ChainError) || attempt > 20) throw error;
      retries++;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
}
let retries = 0;

async function main() {
  // A fresh database each run: a new chain from genesis.
  const name = new URL(URL_).pathname.slice(1);
  const admin = await openDatabase({ url: URL_.replace(/\/[^/]*$/, '/postgres'), max: 1 });
  await admin.db.execute(sql.raw(`drop database if exists "${name}" with (force)`));
  await admin.db.execute(sql.raw(`create database "${name}"`));
  await admin.close();
  const database = await openDatabase({ url: URL_, max: 16 });
  const h = await startRegistryHarness(
    {},
    {
      database,
      genesis: {
        identity: { accounts: reps.map((r) => ({ address: r.address, kind: 'person' })) },
        governance: {
          authorities: auths.map((a, i) => ({
            address: a.address,
            name: `广东省市场监督管理局 ${i + 1}`,
            scopes: ['registry'],
          })),
        },
      },
    },
  );
  try {
    console.log(
      `machine: ${(await import('node:os')).cpus().length} cores; database ${URL_.replace(/\/\/[^@]*@/, '//')}`,
    );
    console.log(`baseline raw Ed25519 verify: ${rawVerifyRate().toFixed(0)} /s`);
    const rtt: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      await database.db.execute(sql`select 1`);
      rtt.push(performance.now() - t);
    }
    rtt.sort((a, b) => a - b);
    console.log(
      `baseline PostgreSQL "select 1" round trip: p50 ${pct(rtt, 50).toFixed(2)} ms p99 ${pct(rtt, 99).toFixed(2)} ms`,
    );

    const repWallets = reps.map((r) => createWallet(h.services.chain.client, r));
    // A batch fills a tx: each authority has its own client so that its sends are not batched into one
    // HTTP request with others' (the node takes at most 1 MiB per request).
    const authWallets = auths.map((a) =>
      MODE === 'batch'
        ? createWallet(createChainClient({ url: `${h.url}/chain` }), a)
        : createWallet(h.services.chain.client, a),
    );
    const queues: string[][][] = auths.map(() => []);
    let registered = 0;
    let accepted = 0;
    let next = 0;
    let sendersDone = 0;
    let batches = 0;
    let stopped = false;
    const start = performance.now();
    const progress = setInterval(async () => {
      const s = (performance.now() - start) / 1000;
      if (performance.now() - start > TIME_LIMIT_MS) stopped = true;
      const [{ indexed }] = (await database.db.execute(
        sql`select count(*)::int as indexed from registry.enterprises`,
      )) as unknown as [{ indexed: number }];
      console.log(
        MODE === 'batch'
          ? `  ${s.toFixed(0)} s: ${accepted} imported in ${batches} batches, height ${h.node.head.height}, ${indexed} in the read model, retries ${retries}`
          : `  ${s.toFixed(0)} s: ${registered} filed, ${accepted} accepted, height ${h.node.head.height}, retries ${retries}`,
      );
    }, 30_000);
    // Bulk import: each authority takes the next records, as many as fit one tx, and sends them as one
    // importBatch with their root.
    const importers = (MODE === 'batch' ? authWallets : []).map(async (w) => {
      while (next < N && !stopped) {
        const batch: ImportRecord[] = [];
        let bytes = 0;
        while (next < N) {
          const r = importRecord(next);
          const size = encodeCanonical(r as unknown as Value).length + 4;
          if (bytes + size > BATCH_BYTES) break;
          batch.push(r);
          bytes += size;
          next++;
        }
        await send(w, [
          {
            contract: 'registry',
            name: 'importBatch',
            params: {
              root: toHex(importRoot(suite.hash, batch)),
              records: batch as unknown as Value[],
            },
          },
        ]);
        batches++;
        accepted += batch.length;
      }
    });
    const filers = (MODE === 'register' ? repWallets : []).map(async (w, s) => {
      const a = s % AUTHORITIES;
      while (next < N && !stopped) {
        const batch: ReturnType<typeof enterprise>[] = [];
        while (batch.length < MAX_ACTIONS && next < N) batch.push(enterprise(next++));
        await send(
          w,
          batch.map((e) => ({
            contract: 'registry',
            name: 'register',
            params: {
              uscc: e.uscc,
              name: e.name,
              legalForm: 'limited_company',
              capital: 1_000_000_00n,
              address: `广东省${e.name.slice(0, 3)}某区某路 1 号`,
              industry: e.industry,
              establishedOn: '2020-01-02',
              authority: auths[a]!.address,
            },
          })),
        );
        registered += batch.length;
        queues[a]!.push(batch.map((e) => e.uscc));
      }
      sendersDone++;
    });
    const deciders = (MODE === 'register' ? authWallets : []).map(async (w, a) => {
      for (;;) {
        const batch = queues[a]!.shift();
        if (!batch) {
          if (sendersDone === SENDERS && queues[a]!.length === 0) return;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        await send(
          w,
          batch.map((uscc) => ({
            contract: 'registry',
            name: 'decideRegistration',
            params: { uscc, decision: 'accept', reason: '准予设立登记' },
          })),
        );
        accepted += batch.length;
      }
    });
    await Promise.all([...importers, ...filers, ...deciders]);
    const chainMs = performance.now() - start;
    await h.caughtUp(3_600_000);
    const importMs = performance.now() - start;
    clearInterval(progress);
    const [{ count }] = (await database.db.execute(
      sql`select count(*)::int as count from registry.enterprises where life = 'active'`,
    )) as unknown as [{ count: number }];
    const done = accepted;
    const rate = done / (importMs / 1000);
    console.log(
      `import (${MODE === 'batch' ? `${batches} importBatch txs of about ${Math.round(done / Math.max(batches, 1))} records` : 'register + decideRegistration, txs of 16'}): ` +
        `${done} enterprises active on chain in ${(chainMs / 1000).toFixed(1)} s (${h.node.head.height} blocks, ${retries} retries), ` +
        `read models caught up at ${(importMs / 1000).toFixed(1)} s; ${count} active in the read model (${rate.toFixed(0)} enterprises/s)`,
    );
    if (count !== done)
      throw new Error(`expected ${done} active enterprises in the read model, found ${count}`);
    await database.db.execute(sql`analyze`);

    const api = h.anonymous;
    const byUscc: number[] = [];
    const byPrefix: number[] = [];
    let misses = 0;
    for (let k = 0; k < LOOKUPS; k++) {
      const e = enterprise(Math.floor(Math.random() * done));
      let t = performance.now();
      const found = await api.enterprises.search({ q: e.uscc, limit: 20 });
      byUscc.push(performance.now() - t);
      if (found[0]?.uscc !== e.uscc) misses++;
      // A prefix of 3–7 characters of a real name (city, brand, trade).
      const prefix = e.name.slice(0, 3 + (k % 5));
      t = performance.now();
      const named = await api.enterprises.search({ q: prefix, limit: 20 });
      byPrefix.push(performance.now() - t);
      if (
        named.length === 0 ||
        !named.every((x) => x.name.startsWith(prefix) || x.previousNames.some((p) => p.startsWith(prefix)))
      )
        misses++;
    }
    byUscc.sort((a, b) => a - b);
    byPrefix.sort((a, b) => a - b);
    console.log(
      `lookup by USCC: p50 ${pct(byUscc, 50).toFixed(2)} ms p99 ${pct(byUscc, 99).toFixed(2)} ms over ${LOOKUPS}`,
    );
    console.log(
      `lookup by name prefix (20 results): p50 ${pct(byPrefix, 50).toFixed(2)} ms p99 ${pct(byPrefix, 99).toFixed(2)} ms over ${LOOKUPS}`,
    );
    if (misses > 0) throw new Error(`${misses} lookups did not find what they looked for`);
    if (done < N)
      console.log(
        `stopped after ${(TIME_LIMIT_MS / 1000).toFixed(0)} s with ${done} of ${N} imported: the figure below is ${N} at the rate reached (${rate.toFixed(0)} /s)`,
      );
    console.log(
      `result: import of ${N} enterprises = ${(done < N ? N / rate / 60 : importMs / 60_000).toFixed(2)} min (target < 10 min)`,
    );
    console.log(`result: lookup by USCC p99 = ${pct(byUscc, 99).toFixed(2)} ms (target < 50 ms)`);
    console.log(`result: lookup by name prefix p99 = ${pct(byPrefix, 99).toFixed(2)} ms (target < 50 ms)`);
  } finally {
    await h.close();
    await database.close();
  }
}

await main();
