// Proof-of-existence receipts (存证回执): an offline-verifiable proof that a file's SHA-256 was anchored
// on the chain through `notary.anchor`, in the shape of C2SP tlog-proof (c2sp.org/tlog-proof): what was
// logged, where it sits in the log (a Merkle inclusion proof of the anchoring tx in its block's tx tree),
// the signed tree head (the block header with its commit certificate: more than two thirds of the
// validators' precommit signatures) and the keys the verifier checks those signatures with (the validator
// set, with the chain id). Unlike a tlog-proof, which names its log and witnesses and leaves their keys to
// the verifier's policy, a receipt carries the validator set itself so it can be checked with nothing
// else; a verifier that knows the chain's validators pins them with `trusted` and a receipt signed by any
// other set fails. Verification is pure: no network, no clock, and no input makes it throw. The crypto is
// the caller's (`@gongxin/ledger/crypto`), as everywhere in the ledger; `@gongxin/client` binds it.
import type { Address } from './address';
import { blockHash, type TrustedValidatorSet } from './block';
import { fromHex, toHex } from './bytes';
import { type CryptoSuite, SUITE_IDS, type SuiteId } from './crypto/types';
import type { Value } from './encoding';
import { decodeProofBundle, type ProofBundle, verifyRecord } from './proof';
import { decodeTx } from './tx';

export const RECEIPT_FORMAT = 'gongxin-receipt/v1';

export interface ReceiptValidator {
  /** Consensus public key, hex. */
  key: string;
  power: number;
  name: string;
  operator: string;
}

export interface NotaryReceipt {
  format: typeof RECEIPT_FORMAT;
  /** The shape this follows (c2sp.org/tlog-proof@v1), adapted to a BFT chain. */
  shape: 'c2sp.org/tlog-proof@v1';
  /** What was anchored: the file's SHA-256 (the file itself stays with its owner). */
  subject: { sha256: string; name?: string; size?: number };
  /** The chain (tlog-proof: the log's origin) and its crypto suite. */
  chain: { chainId: string; suite: SuiteId };
  /** The anchoring tx (tlog-proof: the entry) and its index in the block's tx tree. */
  tx: { id: string; index: number; from: string };
  /** The block (tlog-proof: the checkpoint): height, hash, and its time in ms since the epoch. */
  block: { height: number; hash: string; time: number };
  /** The inclusion proof (tlog-proof: the hashes): the Merkle path of the tx up to the block's tx root. */
  inclusion: { index: number; size: number; path: string[] };
  /**
   * The whole proof as the ledger encodes it (`encodeProofBundle`, hex): the tx's wire bytes, the inclusion
   * path, the block header and its commit certificate. The readable fields above are checked against it.
   */
  proof: string;
  /** The validator set that signs this height (tlog-proof: the witnesses' keys). */
  validators: ReceiptValidator[];
}

/** Build a receipt from a tx's proof bundle (`encodeProofBundle`) and the validator set of its height. */
export function buildReceipt(
  suite: CryptoSuite,
  subject: NotaryReceipt['subject'],
  bundleBytes: Uint8Array,
  set: TrustedValidatorSet,
): NotaryReceipt {
  const bundle = decodeProofBundle(bundleBytes);
  if (bundle.record.kind !== 'tx') throw new Error('a receipt is built from the proof of a tx');
  const tx = decodeTx(suite, bundle.record.bytes);
  return {
    format: RECEIPT_FORMAT,
    shape: 'c2sp.org/tlog-proof@v1',
    subject: { ...subject, sha256: subject.sha256.toLowerCase() },
    chain: { chainId: set.chainId, suite: set.suite },
    tx: { id: toHex(tx.id), index: bundle.proof.index, from: tx.body.from },
    block: {
      height: bundle.header.height,
      hash: toHex(blockHash(suite, bundle.header)),
      time: bundle.header.time,
    },
    inclusion: { index: bundle.proof.index, size: bundle.proof.size, path: bundle.proof.path.map(toHex) },
    proof: toHex(bundleBytes),
    validators: set.validators.map((v) => ({
      key: toHex(v.key),
      power: v.power,
      name: v.name,
      operator: v.operator,
    })),
  };
}

export interface ReceiptStep {
  check: string;
  ok: boolean;
  detail?: string;
}

export interface ReceiptSigner {
  name: string;
  key: string;
  power: number;
}

export type ReceiptVerification =
  | {
      ok: true;
      sha256: string;
      chainId: string;
      txId: string;
      height: number;
      blockHash: string;
      time: number;
      signers: ReceiptSigner[];
      /** Voting power that signed, of the total. */
      power: number;
      totalPower: number;
      steps: ReceiptStep[];
    }
  | {
      ok: false;
      /** The check that failed: format, file, suite, decode, tx, anchor, block, chain, trust, inclusion, validators, certificate. */
      check: string;
      /** `<check>: <what is wrong>` */
      failed: string;
      steps: ReceiptStep[];
    };

export interface VerifyReceiptInput {
  /** The receipt: parsed JSON or its text. */
  receipt: unknown;
  /** The file's bytes, or its SHA-256 (hex) when the caller hashed it already. */
  file: Uint8Array | { sha256: string };
  /**
   * The validator set the verifier trusts. Without it the receipt's own set is used, which proves the
   * anchor is in a block that set signed; pinning the chain's set makes it a proof about that chain.
   */
  trusted?: TrustedValidatorSet;
}

const hex64 = /^[0-9a-f]{64}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural check of a parsed receipt; the reason names the first field that is wrong. */
function shapeError(r: unknown): string | null {
  if (!isRecord(r)) return 'a receipt is a JSON object';
  if (r.format !== RECEIPT_FORMAT) return `format is not ${RECEIPT_FORMAT}`;
  const s = r.subject;
  if (!isRecord(s) || typeof s.sha256 !== 'string' || !hex64.test(s.sha256.toLowerCase()))
    return 'subject.sha256 is not 64 hex digits';
  const c = r.chain;
  if (!isRecord(c) || typeof c.chainId !== 'string' || typeof c.suite !== 'string')
    return 'chain needs chainId and suite';
  const t = r.tx;
  if (!isRecord(t) || typeof t.id !== 'string' || !hex64.test(t.id)) return 'tx.id is not 64 hex digits';
  const b = r.block;
  if (
    !isRecord(b) ||
    !Number.isSafeInteger(b.height) ||
    typeof b.hash !== 'string' ||
    typeof b.time !== 'number'
  )
    return 'block needs height, hash and time';
  if (typeof r.proof !== 'string' || !/^([0-9a-f]{2})+$/i.test(r.proof)) return 'proof is not hex';
  if (!Array.isArray(r.validators) || r.validators.length === 0) return 'validators is not a list';
  for (const [i, v] of r.validators.entries()) {
    if (
      !isRecord(v) ||
      typeof v.key !== 'string' ||
      !/^([0-9a-f]{2})+$/i.test(v.key) ||
      !Number.isSafeInteger(v.power) ||
      typeof v.name !== 'string'
    )
      return `validators[${i}] needs a hex key, an integer power and a name`;
  }
  return null;
}

/** The hash an anchor action carries, as lowercase hex (it may be sent as hex or as bytes). */
function anchoredHash(params: Value | undefined): string | null {
  if (!isRecord(params)) return null;
  const hash = (params as Record<string, unknown>).hash;
  if (hash instanceof Uint8Array) return toHex(hash);
  if (typeof hash === 'string') return hash.toLowerCase().replace(/^0x/, '');
  return null;
}

export function trustedFromReceipt(receipt: NotaryReceipt): TrustedValidatorSet {
  return {
    chainId: receipt.chain.chainId,
    suite: receipt.chain.suite,
    validators: receipt.validators.map((v) => ({
      key: fromHex(v.key),
      power: v.power,
      name: v.name,
      operator: v.operator as Address,
    })),
  };
}

function sameSet(a: TrustedValidatorSet, b: TrustedValidatorSet): boolean {
  const key = (s: TrustedValidatorSet) =>
    s.validators
      .map((v) => `${toHex(v.key)}:${v.power}`)
      .sort()
      .join(',');
  return a.chainId === b.chainId && a.suite === b.suite && key(a) === key(b);
}

/**
 * Check a receipt against a file, offline: the file's hash is the receipt's, the receipt's tx anchors that
 * hash through notary.anchor, the tx is in the block's tx tree, and the block is signed by more than two
 * thirds of the validator set. Every failure names its check and what is wrong.
 */
export interface ReceiptCrypto {
  getSuite(id: SuiteId): CryptoSuite;
  sha256(bytes: Uint8Array): Uint8Array;
}

export function verifyReceiptWith(crypto: ReceiptCrypto, input: VerifyReceiptInput): ReceiptVerification {
  const { getSuite, sha256 } = crypto;
  const steps: ReceiptStep[] = [];
  const fail = (check: string, detail: string): ReceiptVerification => {
    steps.push({ check, ok: false, detail });
    return { ok: false, check, failed: `${check}: ${detail}`, steps };
  };
  try {
    let parsed: unknown = input.receipt;
    if (typeof parsed === 'string') {
      try {
        parsed = JSON.parse(parsed);
      } catch {
        return fail('format', 'the receipt is not JSON');
      }
    }
    const shape = shapeError(parsed);
    if (shape) return fail('format', shape);
    const receipt = parsed as NotaryReceipt;
    const claimed = receipt.subject.sha256.toLowerCase();
    steps.push({ check: 'format', ok: true, detail: RECEIPT_FORMAT });

    const fileHash =
      input.file instanceof Uint8Array ? toHex(sha256(input.file)) : input.file.sha256.toLowerCase();
    if (fileHash !== claimed)
      return fail('file', `the file's SHA-256 is ${fileHash}, the receipt is for ${claimed}`);
    steps.push({ check: 'file', ok: true, detail: `SHA-256 ${fileHash}` });

    if (!(SUITE_IDS as readonly string[]).includes(receipt.chain.suite))
      return fail('suite', `unknown crypto suite ${receipt.chain.suite}`);
    const suite = getSuite(receipt.chain.suite);

    let bundle: ProofBundle;
    try {
      bundle = decodeProofBundle(fromHex(receipt.proof));
    } catch (error) {
      return fail('decode', (error as Error).message);
    }
    if (bundle.record.kind !== 'tx') return fail('decode', 'the proof is not of a transaction');

    let tx: ReturnType<typeof decodeTx>;
    try {
      tx = decodeTx(suite, bundle.record.bytes);
    } catch (error) {
      return fail('tx', `the proof's transaction does not decode: ${(error as Error).message}`);
    }
    const txId = toHex(tx.id);
    if (txId !== receipt.tx.id.toLowerCase())
      return fail('tx', `the proof is of tx ${txId}, the receipt names tx ${receipt.tx.id}`);
    steps.push({ check: 'tx', ok: true, detail: `tx ${txId} by ${tx.body.from}` });

    const anchors = tx.body.actions.filter((a) => a.contract === 'notary' && a.name === 'anchor');
    if (anchors.length === 0) return fail('anchor', `tx ${txId} has no notary.anchor action`);
    if (!anchors.some((a) => anchoredHash(a.params) === claimed))
      return fail(
        'anchor',
        `tx ${txId} anchors ${anchors.map((a) => anchoredHash(a.params)).join(', ')}, not ${claimed}`,
      );
    steps.push({ check: 'anchor', ok: true, detail: `notary.anchor ${claimed}` });

    const { header } = bundle;
    if (header.height !== receipt.block.height)
      return fail(
        'block',
        `the proof is for height ${header.height}, the receipt says ${receipt.block.height}`,
      );
    if (header.time !== receipt.block.time)
      return fail('block', `the block's time is ${header.time}, the receipt says ${receipt.block.time}`);
    if (header.chainId !== receipt.chain.chainId)
      return fail(
        'chain',
        `the block is of chain ${header.chainId}, the receipt says ${receipt.chain.chainId}`,
      );

    const own = trustedFromReceipt(receipt);
    if (input.trusted) {
      if (!sameSet(own, input.trusted))
        return fail(
          'trust',
          `the receipt's validator set (chain ${own.chainId}) is not the trusted set of chain ${input.trusted.chainId}`,
        );
      steps.push({ check: 'trust', ok: true, detail: 'the receipt names the trusted validator set' });
    }
    const trusted = input.trusted ?? own;

    const verdict = verifyRecord(suite, bundle.record, bundle.proof, header, bundle.certificate, trusted);
    steps.push(...verdict.steps);
    if (!verdict.ok) {
      const check = verdict.failed.split(':')[0] ?? 'proof';
      return { ok: false, check, failed: verdict.failed, steps };
    }
    if (verdict.blockHash !== receipt.block.hash.toLowerCase())
      return fail(
        'block',
        `the block's hash is ${verdict.blockHash}, the receipt says ${receipt.block.hash}`,
      );

    const signers: ReceiptSigner[] = [];
    for (const s of bundle.certificate.signatures) {
      const v = trusted.validators.find((m) => toHex(m.key) === toHex(s.key));
      if (v) signers.push({ name: v.name, key: toHex(v.key), power: v.power });
    }
    const power = signers.reduce((n, s) => n + s.power, 0);
    const totalPower = trusted.validators.reduce((n, v) => n + v.power, 0);
    return {
      ok: true,
      sha256: claimed,
      chainId: header.chainId,
      txId,
      height: header.height,
      blockHash: verdict.blockHash,
      time: header.time,
      signers,
      power,
      totalPower,
      steps,
    };
  } catch (error) {
    return fail('input', `malformed receipt: ${(error as Error)?.message ?? String(error)}`);
  }
}
