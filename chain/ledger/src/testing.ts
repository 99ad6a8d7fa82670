// Helpers for tests of the ledger and of anything built on it: deterministic keys, a toy chain, signing.
// Not for production: keys here come from fixed seeds.
import { type Address, addressFromPublicKey } from './address';
import { type BlockHeader, blockHash, type CommitCertificate, type Validator, voteSignBytes } from './block';
import type { CryptoSuite } from './crypto/types';
import { type BlockResult, executeBlock, type LedgerState, type RuntimeEnv } from './runtime';
import { type Action, signTx } from './tx';

export interface TestAccount {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  address: Address;
}

/** A key from a fixed seed: the same account in every run. */
export function testAccount(suite: CryptoSuite, seed: number): TestAccount {
  const material = suite.hash(new TextEncoder().encode(`gongxin test account ${seed}`));
  const privateKey = suite.id === 'ed25519-sha256' ? material : sm2PrivateKeyFrom(material);
  const publicKey = suite.publicKeyFromPrivate(privateKey);
  return { privateKey, publicKey, address: addressFromPublicKey(suite, publicKey) };
}

// An SM2 private key must lie in [1, n-2]; a hash almost always does, and clearing the top bit makes sure.
function sm2PrivateKeyFrom(material: Uint8Array): Uint8Array {
  const key = material.slice();
  key[0]! &= 0x7f;
  if (key.every((b) => b === 0)) key[31] = 1;
  return key;
}

export function testValidator(
  suite: CryptoSuite,
  seed: number,
  power = 10,
): { account: TestAccount; validator: Validator } {
  const account = testAccount(suite, 1_000_000 + seed);
  return {
    account,
    validator: { key: account.publicKey, power, name: `validator-${seed}`, operator: account.address },
  };
}

export function signedTx(
  suite: CryptoSuite,
  chainId: string,
  account: TestAccount,
  nonce: number,
  actions: Action[],
  memo?: string,
): Uint8Array {
  return signTx(
    suite,
    { chainId, from: account.address, key: account.publicKey, nonce, actions, memo },
    account.privateKey,
  ).bytes;
}

/** Precommit signatures of the given validators over a header. */
export function certify(
  suite: CryptoSuite,
  header: BlockHeader,
  signers: TestAccount[],
  round = 0,
): CommitCertificate {
  const hash = blockHash(suite, header);
  const message = voteSignBytes(header.chainId, 'precommit', header.height, round, hash);
  return {
    height: header.height,
    round,
    blockHash: hash,
    signatures: signers.map((s) => ({ key: s.publicKey, signature: suite.sign(message, s.privateKey) })),
  };
}

/** Execute txs as the next block, proposed by `proposer`, one second after the head. */
export function nextBlock(
  env: RuntimeEnv,
  state: LedgerState,
  txs: Uint8Array[],
  proposer: Uint8Array,
): BlockResult {
  return executeBlock(env, state, { time: state.head.time + 1000, proposer, txs });
}
