// Checking a record's proof against the headers a node keeps: a node that joined by state sync, or
// pruned old blocks, has no txs or events of those heights, but it has every header and certificate
// from genesis and every validator set, so a proof of any record, from anyone, verifies here.
import {
  blockHash,
  type CryptoSuite,
  decodeProofBundle,
  equalBytes,
  type Verification,
  verifyRecord,
} from '@gongxin/ledger';
import type { ChainStore } from '../storage/store';

export async function verifyProofWithStore(
  store: ChainStore,
  suite: CryptoSuite,
  chainId: string,
  bundleBytes: Uint8Array,
): Promise<Verification> {
  const fail = (check: string, detail: string): Verification => ({
    ok: false,
    failed: `${check}: ${detail}`,
    steps: [{ check, ok: false, detail }],
  });
  let bundle: ReturnType<typeof decodeProofBundle>;
  try {
    bundle = decodeProofBundle(bundleBytes);
  } catch (error) {
    return fail('decode', (error as Error).message);
  }
  const height = bundle.header.height;
  const [stored] = await store.headersFrom(height, 1);
  if (!stored || stored.header.height !== height) return fail('header', `this node has no header ${height}`);
  if (!equalBytes(stored.hash, blockHash(suite, bundle.header)))
    return fail('header', `the proof's header is not this chain's block ${height}`);
  const validators = await store.validatorsAt(height);
  if (!validators) return fail('validators', `no validator set known for height ${height}`);
  return verifyRecord(suite, bundle.record, bundle.proof, bundle.header, bundle.certificate, {
    chainId,
    suite: suite.id,
    validators,
  });
}
