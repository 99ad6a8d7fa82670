// Micro-benchmark of both crypto paths: ops/s for hash, sign and verify per suite, median of
// 5 timed runs after a warm-up. Run: npx tsx chain/ledger/bench/crypto.bench.ts
// Keys are reused across iterations, as a validator re-verifies the same signers: "verify" is the
// warm-cache case (Ed25519 KeyObjects; SM2 decoded point, Z_A and, once hot, precomputed tables).
// "verify-cold" is SM2 with the hot-key tier off: a key seen fewer than 16 times.

import * as browser from '../src/crypto/browser';
import * as node from '../src/crypto/node';
import { createSm2 } from '../src/crypto/sm2';
import type { CryptoSuite, SuiteId } from '../src/crypto/types';

const RUNS = 5;
const RUN_MILLIS = 250;
const MESSAGE_BYTES = 256; // about one transaction body

function opsPerSecond(op: () => unknown): number {
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 16; i++) op();
    iterations += 16;
    elapsed = performance.now() - start;
  } while (elapsed < RUN_MILLIS);
  return (iterations / elapsed) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(op: () => unknown): number {
  opsPerSecond(op); // warm-up: JIT, caches
  return median(Array.from({ length: RUNS }, () => opsPerSecond(op)));
}

function fixture(suite: CryptoSuite) {
  const message = new Uint8Array(MESSAGE_BYTES).map((_, i) => (i * 31 + 7) & 0xff);
  const privateKey = suite.id === 'sm2-sm3' ? suite.hash(message) : message.slice(0, 32);
  privateKey[0]! &= 0x7f; // keeps an SM2 key inside [1, n-2]
  const publicKey = suite.publicKeyFromPrivate(privateKey);
  const signature = suite.sign(message, privateKey);
  if (!suite.verify(signature, message, publicKey)) throw new Error(`${suite.id}: fixture does not verify`);
  return { message, privateKey, publicKey, signature };
}

const format = (value: number) => Math.round(value).toLocaleString('en-US').padStart(12);

console.log(
  `crypto micro-benchmark: Node ${process.version}, OpenSSL ${process.versions.openssl}, ` +
    `${MESSAGE_BYTES}-byte messages, median of ${RUNS} x ${RUN_MILLIS} ms`,
);
console.log(
  `${'suite'.padEnd(16)}${'op'.padEnd(8)}${'browser ops/s'.padStart(14)}${'node ops/s'.padStart(14)}  node/browser`,
);
for (const id of ['ed25519-sha256', 'sm2-sm3'] satisfies SuiteId[]) {
  const results = [browser, node].map((path) => {
    const suite = path.getSuite(id);
    const f = fixture(suite);
    const ops: Record<string, number> = {
      hash: measure(() => suite.hash(f.message)),
      sign: measure(() => suite.sign(f.message, f.privateKey)),
      verify: measure(() => suite.verify(f.signature, f.message, f.publicKey)),
    };
    if (id === 'sm2-sm3') {
      const coldSm2 = createSm2(path.sm3, { hotKeyCapacity: 0 });
      ops['verify-cold'] = measure(() => coldSm2.verify(f.signature, f.message, f.publicKey));
    }
    return ops;
  });
  for (const op of Object.keys(results[0]!)) {
    const [inBrowser, onNode] = [results[0]![op]!, results[1]![op]!];
    console.log(
      `${id.padEnd(16)}${op.padEnd(12)}${format(inBrowser)}  ${format(onNode)}  ${(onNode / inBrowser).toFixed(1).padStart(8)}x`,
    );
  }
}
