// Offline verification of an evidence bundle with its receipt: no node, no network. A court (or anyone)
// holding the files, the receipt and the chain's validator set checks
//   1. each file against its SHA-256 in the manifest — a changed file is named;
//   2. the manifest's entries against its Merkle root;
//   3. that the anchoring tx carries `notary.anchor` of exactly that root;
//   4. that the tx is in a block signed by more than two thirds of the validators (the chain's proof).
// The validator set comes with the receipt for convenience; a verifier that must not trust the receipt's
// author passes the set it trusts (from the chain's genesis or its governance) instead.
//
// Pure and isomorphic (the suite from `@gongxin/ledger/crypto`), for the CLI and the browser alike.
import {
  type CryptoSuite,
  decodeProofBundle,
  decodeTx,
  fromHex,
  type TrustedValidatorSet,
  toHex,
  type VerificationStep,
  verifyRecord,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto';
import { type BundleCheck, type BundleManifest, checkBundle } from './bundle';

export const RECEIPT_KIND = 'gongxin/evidence-receipt';

/** A validator set as the node API gives it (`ValidatorSetJson`). */
export interface ReceiptValidators {
  chainId: string;
  suite: string;
  height: number;
  validators: { key: string; power: number; name?: string; operator?: string }[];
}

export interface EvidenceReceipt {
  kind: typeof RECEIPT_KIND;
  version: 1;
  manifest: BundleManifest;
  anchor: { contract: 'notary'; action: 'anchor'; hash: string; type: string };
  tx: { id: string; height: number; index: number };
  block: { height: number; hash: string; time: number; chainId: string };
  /** The tx's proof bundle (`encodeProofBundle`, hex): the tx, its audit path, the header, the certificate. */
  proof: string;
  /** The validators that signed the block, as the node gave them when the receipt was made. */
  validators: ReceiptValidators;
}

export interface EvidenceVerdict {
  ok: boolean;
  /** The files that do not match the manifest (changed, missing), by name. */
  changed: string[];
  bundle: BundleCheck;
  steps: VerificationStep[];
  /** One sentence: the verdict, naming what failed. */
  summary: string;
}

function trustedOf(set: ReceiptValidators): TrustedValidatorSet {
  return {
    chainId: set.chainId,
    suite: set.suite as TrustedValidatorSet['suite'],
    validators: set.validators.map((v) => ({
      key: fromHex(v.key),
      power: v.power,
      ...(v.name !== undefined && { name: v.name }),
      ...(v.operator !== undefined && { operator: v.operator }),
    })) as TrustedValidatorSet['validators'],
  };
}

export function verifyEvidence(
  receipt: EvidenceReceipt,
  files: ReadonlyMap<string, Uint8Array>,
  opts: { trusted?: ReceiptValidators; suite?: CryptoSuite } = {},
): EvidenceVerdict {
  const steps: VerificationStep[] = [];
  const manifest = receipt?.manifest;
  const bundle = checkBundle(manifest, files);
  const changed = bundle.files
    .filter((f) => f.problem === 'changed' || f.problem === 'missing' || f.problem === 'size')
    .map((f) => f.name);
  for (const f of bundle.files)
    steps.push({
      check: `file ${f.name}`,
      ok: f.ok,
      ...(f.detail && { detail: `${f.problem}: ${f.detail}` }),
    });
  steps.push({
    check: 'manifest',
    ok: bundle.rootOk && bundle.files.every((f) => f.problem !== 'proof'),
    detail: bundle.rootOk ? `root ${manifest.root}` : 'the manifest entries do not give its root',
  });

  const chainStep = checkAnchor(receipt, opts);
  steps.push(...chainStep);
  const ok = bundle.ok && chainStep.every((s) => s.ok);
  const firstFailure = steps.find((s) => !s.ok);
  const summary = ok
    ? `verified: ${bundle.files.length} files under root ${manifest.root}, anchored in block ${receipt.block.height} of ${receipt.block.chainId} at ${new Date(receipt.block.time).toISOString()}`
    : changed.length > 0
      ? `NOT verified: ${changed.map((n) => `${n} was changed or is missing`).join('; ')}`
      : `NOT verified: ${firstFailure?.check}${firstFailure?.detail ? ` — ${firstFailure.detail}` : ''}`;
  return { ok, changed, bundle, steps, summary };
}

function checkAnchor(
  receipt: EvidenceReceipt,
  opts: { trusted?: ReceiptValidators; suite?: CryptoSuite },
): VerificationStep[] {
  const steps: VerificationStep[] = [];
  const fail = (check: string, detail: string) => {
    steps.push({ check, ok: false, detail });
    return steps;
  };
  try {
    const set = opts.trusted ?? receipt.validators;
    const suite = opts.suite ?? getSuite(set.suite as TrustedValidatorSet['suite']);
    const bundle = decodeProofBundle(fromHex(receipt.proof));
    if (bundle.record.kind !== 'tx') return fail('anchor', 'the proof is not of a transaction');
    const tx = decodeTx(suite, bundle.record.bytes);
    const txId = toHex(tx.id);
    if (txId !== receipt.tx.id.replace(/^0x/, '').toLowerCase())
      return fail('anchor', `the proof is of tx ${txId}, the receipt names ${receipt.tx.id}`);
    const anchor = tx.body.actions.find(
      (a) => a.contract === 'notary' && a.name === 'anchor' && isRoot(a.params.hash, receipt.manifest.root),
    );
    if (!anchor) return fail('anchor', `tx ${txId} does not anchor root ${receipt.manifest.root}`);
    steps.push({ check: 'anchor', ok: true, detail: `notary.anchor of the root in tx ${txId}` });
    if (bundle.header.height !== receipt.block.height)
      return fail(
        'block',
        `the proof is of block ${bundle.header.height}, the receipt names ${receipt.block.height}`,
      );
    const verdict = verifyRecord(
      suite,
      bundle.record,
      bundle.proof,
      bundle.header,
      bundle.certificate,
      trustedOf(set),
    );
    steps.push(...verdict.steps);
    if (verdict.ok && verdict.blockHash !== receipt.block.hash.replace(/^0x/, '').toLowerCase())
      return fail(
        'block',
        `the proof's block is ${verdict.blockHash}, the receipt names ${receipt.block.hash}`,
      );
    if (verdict.ok && bundle.header.time !== receipt.block.time)
      return fail(
        'block',
        `the block's time is ${bundle.header.time}, the receipt says ${receipt.block.time}`,
      );
    return steps;
  } catch (error) {
    return fail('receipt', `the receipt does not decode: ${(error as Error).message}`);
  }
}

function isRoot(value: unknown, root: string): boolean {
  if (value instanceof Uint8Array) return toHex(value) === root;
  return typeof value === 'string' && value.replace(/^0x/, '').toLowerCase() === root;
}
