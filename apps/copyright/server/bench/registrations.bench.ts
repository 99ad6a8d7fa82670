// Registrations per second, sustained, with the similarity check, on one embedded validator (in-memory
// PGlite, the app mounted as in the portal). Each registration is what the server does for an applicant:
// compute the Text-Code from the uploaded text itself, look up similar works among the registered codes
// (SimilarityIndex over BENCH_CODES codes already registered), then a signed `registerWork` tx, waited for
// until committed. BENCH_SENDERS applicants send at once. In the same run, the baselines: raw Ed25519
// verifies per second on this machine, and bare `notary.anchor` txs per second through the same node and
// senders. Target: >= 20 registrations/s.
//   npm run bench -w @gongxin/copyright-server     (BENCH_SECONDS, BENCH_SENDERS, BENCH_CODES)
import { accountFromPrivateKey, ChainError, createWallet, type Wallet } from '@gongxin/client';
import type { Action } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount } from '@gongxin/ledger/testing';
import { computeCodes, SimilarityIndex } from '../src/codes';
import { workCodes } from '../src/db/schema';
import { startCopyrightHarness } from '../test/harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 16);
const CODES = Number(process.env.BENCH_CODES ?? 100_000);

const suite = getSuite('ed25519-sha256');
const senders = Array.from({ length: SENDERS }, (_, i) =>
  accountFromPrivateKey(suite, testAccount(suite, 5000 + i).privateKey),
);
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(1);

const CHARS =
  '山水云海松石风雨花鸟江河湖月日星光影城乡书画诗词歌舞春夏秋冬晨昏天地人心梦远近高低深浅红黄蓝白黑青';
/** A distinct passage of 160 characters per (sender, i): a new work each time. */
function passage(sender: number, i: number): string {
  let x = (sender + 1) * 1_000_003 + i * 7919;
  let out = `第${sender}-${i}篇：`;
  for (let k = 0; k < 160; k++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    out += CHARS[x % CHARS.length];
  }
  return out;
}

function rawVerifyRate(): number {
  const key = testAccount(suite, 1);
  const message = new TextEncoder().encode('gongxin bench message');
  const signature = suite.sign(message, key.privateKey);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 2_000) {
    for (let k = 0; k < 100; k++) if (suite.verify(signature, message, key.publicKey)) n++;
  }
  return n / ((performance.now() - start) / 1000);
}

let resent = 0;
/**
 * A pooled socket the server closed while the process was busy (the set-up steps block the event loop)
 * fails the next request before the server reads it: the wallet forgets its nonce count, and the tx is
 * sent once more. Counted and printed; a tx that had committed after all would come back refused.
 */
async function send(w: Wallet, actions: Action[]) {
  try {
    return await w.send(actions);
  } catch (error) {
    if (!(error instanceof ChainError && error.code === 'network')) throw error;
    resent++;
    return w.send(actions);
  }
}

async function main() {
  const h = await startCopyrightHarness({ extraPersons: senders.map((s) => s.address) });
  const db = h.database.db;
  try {
    // Registered works' codes the check searches among: random 64-bit Text-Code bodies at height 0.
    let seed = 42;
    const rnd = () => {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return seed.toString(16).padStart(8, '0');
    };
    const t0 = performance.now();
    for (let i = 0; i < CODES; i += 2000) {
      const rows = [];
      for (let k = i; k < Math.min(CODES, i + 2000); k++)
        rows.push({
          workId: `bench-${k}`,
          iscc: `bench:${k}`,
          kind: 'text',
          code64: rnd() + rnd(),
          height: 0,
        });
      await db.insert(workCodes).values(rows);
    }
    const similarity = new SimilarityIndex(h.database);
    await similarity.refresh();
    console.log(`registered codes: ${similarity.size} loaded in ${(performance.now() - t0).toFixed(0)} ms`);

    const wallets: Wallet[] = senders.map((s) => createWallet(h.services.chain.client, s));
    const raw = rawVerifyRate();
    console.log(`baseline raw Ed25519 verify (node path of ${suite.id}): ${raw.toFixed(0)} /s`);

    // Baseline: bare notary anchors, the same senders and node.
    let anchors = 0;
    const anchorStart = performance.now();
    const anchorEnd = anchorStart + Math.max(5, SECONDS / 2) * 1000;
    await Promise.all(
      wallets.map(async (w, s) => {
        for (let i = 0; performance.now() < anchorEnd; i++) {
          const hash = suite.hash(new TextEncoder().encode(`anchor ${s} ${i}`));
          const receipt = await send(w, [
            { contract: 'notary', name: 'anchor', params: { hash, type: 'bench' } },
          ]);
          if (receipt.ok) anchors++;
        }
      }),
    );
    const anchorMs = performance.now() - anchorStart;
    console.log(`baseline bare notary.anchor txs (${SENDERS} senders): ${rate(anchors, anchorMs)} /s`);

    // Registrations with the similarity check.
    const checkMs: number[] = [];
    const codeMs: number[] = [];
    let registered = 0;
    let refused = 0;
    const start = performance.now();
    const end = start + SECONDS * 1000;
    await Promise.all(
      wallets.map(async (w, s) => {
        for (let i = 0; performance.now() < end; i++) {
          const bytes = new TextEncoder().encode(passage(s, i));
          const c0 = performance.now();
          const computed = await computeCodes(bytes, 'text/plain');
          const c1 = performance.now();
          await similarity.similar(computed.codes, { limit: 10 });
          const c2 = performance.now();
          codeMs.push(c1 - c0);
          checkMs.push(c2 - c1);
          const hash = suite.hash(bytes);
          const receipt = await send(w, [
            {
              contract: 'copyright',
              name: 'registerWork',
              params: {
                title: `基准作品 ${s}-${i}`,
                category: 'text',
                authorship: 'natural',
                authors: [senders[s]!.address],
                owners: [{ address: senders[s]!.address, share: 10_000 }],
                createdAt: Date.now() - 86_400_000,
                files: [{ hash, codes: computed.codes, tool: computed.tool, mediaType: 'text/plain' }],
                originality: '基准测试作品。',
              },
            },
          ]);
          if (receipt.ok) registered++;
          else refused++;
        }
      }),
    );
    const elapsed = performance.now() - start;
    const indexStart = performance.now();
    await h.caughtUp(120_000);
    const indexLag = performance.now() - indexStart;
    checkMs.sort((a, b) => a - b);
    codeMs.sort((a, b) => a - b);
    console.log(
      `registrations: ${registered} committed (${refused} refused) in ${(elapsed / 1000).toFixed(1)} s by ${SENDERS} senders, ` +
        `${h.node.head.height} blocks; indexer caught up ${indexLag.toFixed(0)} ms after the last`,
    );
    console.log(
      `per registration: Text-Code p50 ${pct(codeMs, 50).toFixed(2)} ms p99 ${pct(codeMs, 99).toFixed(2)} ms; ` +
        `similarity check among ${similarity.size} codes p50 ${pct(checkMs, 50).toFixed(2)} ms p99 ${pct(checkMs, 99).toFixed(2)} ms`,
    );
    console.log(`txs sent again after a closed pooled socket: ${resent}`);
    if (refused > 0) throw new Error(`${refused} registrations were refused`);
    console.log(`result: copyright registrations = ${rate(registered, elapsed)} /s (target >= 20)`);
  } finally {
    await h.close();
  }
}

await main();
