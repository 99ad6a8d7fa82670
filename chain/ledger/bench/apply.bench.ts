// How fast the state machine applies signature-verified transfers on one core, next to the raw
// Ed25519 verify rates measured in the same run. Verification is the unavoidable cost; the ratio says how
// much everything else (decoding, nonce and balance checks, events, Merkle roots, the state commitment)
// takes beside it. Target: ratio ≥ 0.7 against raw node:crypto (OpenSSL) verifies. The ledger verifies
// with libsodium, which is faster than OpenSSL, so the ratio against raw libsodium verifies is printed too:
// it is the stricter measure of how small everything else is.
//
// Uses the real `assets` contract from @gongxin/contracts (resolved through the workspace; not declared
// as a dependency because contracts depend on the ledger, and a benchmark must not make a cycle).
import { createPublicKey, verify } from 'node:crypto';
import { coreContracts } from '@gongxin/contracts';
import sodium from 'sodium-native';
import { getSuite } from '../src/crypto/node';
import {
  ContractRegistry,
  createGenesisState,
  executeBlock,
  type LedgerState,
  MemoryState,
  type RuntimeEnv,
} from '../src/index';
import { signedTx, testAccount, testValidator } from '../src/testing';
import { decodeTx } from '../src/tx';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TXS = Number(process.env.BENCH_TXS ?? 20_000);
const BLOCK_SIZE = Number(process.env.BENCH_BLOCK ?? 1000);
const ACCOUNTS = 200;

const suite = getSuite('ed25519-sha256');
const env: RuntimeEnv = { suite, contracts: new ContractRegistry(coreContracts) };
const chainId = 'gongxin-bench';
const { account: proposer, validator } = testValidator(suite, 1);
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => testAccount(suite, i + 1));

const genesisDoc = {
  chainId,
  suite: suite.id,
  time: 1_700_000_000_000,
  validators: [validator],
  contracts: {
    assets: {
      assets: [
        {
          symbol: 'CNY',
          name: 'Digital fen',
          decimals: 2,
          policy: 'mintable',
          issuer: accounts[0]!.address,
          balances: Object.fromEntries(accounts.map((a) => [a.address, 1_000_000_000n])),
        },
      ],
    },
  },
};

// Each account sends to the next one, round-robin, so every tx touches two balances and one nonce.
const nonces = new Array<number>(ACCOUNTS).fill(0);
const txs: Uint8Array[] = [];
for (let i = 0; i < TXS; i++) {
  const from = i % ACCOUNTS;
  const to = accounts[(from + 1) % ACCOUNTS]!;
  txs.push(
    signedTx(suite, chainId, accounts[from]!, nonces[from]!++, [
      {
        contract: 'assets',
        name: 'transfer',
        params: { symbol: 'CNY', to: to.address, amount: 1 + (i % 97) },
      },
    ]),
  );
}

// The raw cost: node:crypto verifying the same signatures over the same bodies with cached KeyObjects.
const decoded = txs.map((t) => decodeTx(suite, t));
const spkiPrefix = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const keyObjects = new Map(
  accounts.map((a) => [
    a.address,
    createPublicKey({ key: Buffer.concat([spkiPrefix, a.publicKey]), format: 'der', type: 'spki' }),
  ]),
);

function rawVerifiesPerSecond(): number {
  const start = performance.now();
  for (const tx of decoded) {
    if (!verify(null, tx.bodyBytes, keyObjects.get(tx.body.from)!, tx.signature))
      throw new Error('bad signature in bench');
  }
  return (decoded.length / (performance.now() - start)) * 1000;
}

const publicKeys = new Map(accounts.map((a) => [a.address, a.publicKey]));
function rawSodiumVerifiesPerSecond(): number {
  const start = performance.now();
  for (const tx of decoded) {
    if (!sodium.crypto_sign_verify_detached(tx.signature, tx.bodyBytes, publicKeys.get(tx.body.from)!))
      throw new Error('bad signature in bench');
  }
  return (decoded.length / (performance.now() - start)) * 1000;
}

function appliedTransfersPerSecond(): number {
  const genesis = createGenesisState(env, genesisDoc);
  const store = new MemoryState();
  store.apply(genesis.writes);
  let state: LedgerState = { head: genesis.state.head, store };
  let ok = 0;
  const start = performance.now();
  for (let i = 0; i < txs.length; i += BLOCK_SIZE) {
    const result = executeBlock(env, state, {
      time: state.head.time + 1000,
      proposer: proposer.publicKey,
      txs: txs.slice(i, i + BLOCK_SIZE),
    });
    store.apply(result.writes);
    state = { head: result.state.head, store };
    for (const r of result.receipts) if (r.ok) ok++;
  }
  const elapsed = performance.now() - start;
  if (ok !== txs.length) throw new Error(`only ${ok} of ${txs.length} transfers succeeded`);
  return (txs.length / elapsed) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Warm up the JIT on both paths before measuring.
rawVerifiesPerSecond();
rawSodiumVerifiesPerSecond();
appliedTransfersPerSecond();

const raw: number[] = [];
const rawSodium: number[] = [];
const applied: number[] = [];
for (let r = 0; r < RUNS; r++) {
  raw.push(rawVerifiesPerSecond());
  rawSodium.push(rawSodiumVerifiesPerSecond());
  applied.push(appliedTransfersPerSecond());
}
const rawMedian = median(raw);
const rawSodiumMedian = median(rawSodium);
const appliedMedian = median(applied);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `ledger apply benchmark: ${TXS} signed CNY transfers in blocks of ${BLOCK_SIZE}, ${ACCOUNTS} accounts, median of ${RUNS} runs, one core`,
);
console.log(`  raw node:crypto Ed25519 verifies/s : ${fmt(rawMedian)}   (runs: ${raw.map(fmt).join(', ')})`);
console.log(
  `  raw libsodium Ed25519 verifies/s   : ${fmt(rawSodiumMedian)}   (runs: ${rawSodium.map(fmt).join(', ')})`,
);
console.log(
  `  applied transfers/s                : ${fmt(appliedMedian)}   (runs: ${applied.map(fmt).join(', ')})`,
);
console.log(
  `  ratio applied / raw verify         : ${(appliedMedian / rawMedian).toFixed(3)} of the medians, ${median(raw.map((r, i) => applied[i]! / r)).toFixed(3)} median of per-run ratios   (target ≥ 0.7)`,
);
console.log(
  `  ratio applied / raw libsodium      : ${(appliedMedian / rawSodiumMedian).toFixed(3)} of the medians, ${median(rawSodium.map((r, i) => applied[i]! / r)).toFixed(3)} median of per-run ratios`,
);
