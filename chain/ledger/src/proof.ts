// Offline verification of a record (a transaction or an event) against the chain: a Merkle inclusion
// proof to its block header, the header's commit certificate, and the validator set the verifier trusts.
// This is what a browser runs to say "verified on chain" without trusting the server that sent it. Every
// check is strict and every failure names the check that failed; no input can make it throw.
import {
  type BlockHeader,
  blockHash,
  type CertificateFailureCode,
  type CommitCertificate,
  certificateFromValue,
  certificateToValue,
  decodeHeader,
  encodeHeader,
  type TrustedValidatorSet,
  validatorSetHash,
  verifyCertificate,
} from './block';
import { equalBytes, toHex } from './bytes';
import type { CryptoSuite } from './crypto/types';
import { decodeCanonical, encodeCanonical, type Value, type ValueMap } from './encoding';
import { type InclusionProof, leafHash, rootFromInclusionProof } from './merkle';

export type RecordKind = 'tx' | 'event';

/** The record as bytes: a tx's wire form, or an event's canonical encoding (see encodeEvent). */
export interface ChainRecord {
  kind: RecordKind;
  bytes: Uint8Array;
}

/** Why a check failed, stable across wordings, for a page to say in its reader's language. */
export type VerifyFailureCode =
  | 'decode'
  | 'suite'
  | 'chain'
  | 'record-kind'
  | 'inclusion-size'
  | 'inclusion-path'
  | 'validators-set'
  | CertificateFailureCode
  | 'input';

export interface VerificationStep {
  check: string;
  ok: boolean;
  /** In English, for logs and the command line. */
  detail?: string;
  /** On a failed step: why, as a stable code. */
  code?: VerifyFailureCode;
  /** The figures in `detail`, so a page can say it in the reader's language. */
  params?: Record<string, string | number>;
}

export type Verification =
  | { ok: true; height: number; blockHash: string; steps: VerificationStep[] }
  | { ok: false; failed: string; steps: VerificationStep[] };

/**
 * Verify that `record` is in the block whose `header` is signed by more than two thirds of `trusted`.
 * `suite` must be the implementation of `trusted.suite` (the caller picks the browser or Node one).
 */
export function verifyRecord(
  suite: CryptoSuite,
  record: ChainRecord,
  proof: InclusionProof,
  header: BlockHeader,
  certificate: CommitCertificate,
  trusted: TrustedValidatorSet,
): Verification {
  const steps: VerificationStep[] = [];
  const fail = (
    check: string,
    code: VerifyFailureCode,
    detail: string,
    params?: Record<string, string | number>,
  ): Verification => {
    steps.push({ check, ok: false, detail, code, ...(params && { params }) });
    return { ok: false, failed: `${check}: ${detail}`, steps };
  };
  try {
    if (suite.id !== trusted.suite)
      return fail('suite', 'suite', `verifier has ${suite.id}, chain uses ${trusted.suite}`);
    if (header.chainId !== trusted.chainId)
      return fail('chain', 'chain', `header is for chain ${header.chainId}, not ${trusted.chainId}`, {
        got: header.chainId,
        want: trusted.chainId,
      });
    steps.push({ check: 'chain', ok: true, detail: trusted.chainId });

    const expectedRoot =
      record.kind === 'tx' ? header.txRoot : record.kind === 'event' ? header.eventRoot : null;
    const expectedSize = record.kind === 'tx' ? header.txCount : header.eventCount;
    if (!expectedRoot) return fail('record', 'record-kind', `unknown record kind ${String(record.kind)}`);
    if (proof.size !== expectedSize)
      return fail(
        'inclusion',
        'inclusion-size',
        `proof is for a tree of ${proof.size}, the block has ${expectedSize}`,
        { size: proof.size, count: expectedSize },
      );
    const root = rootFromInclusionProof(suite.hash, leafHash(suite.hash, record.bytes), proof);
    if (!root || !equalBytes(root, expectedRoot)) {
      return fail(
        'inclusion',
        'inclusion-path',
        `the ${record.kind} is not at position ${proof.index} of the block's ${record.kind} tree`,
      );
    }
    steps.push({
      check: 'inclusion',
      ok: true,
      detail: `${record.kind} ${proof.index + 1} of ${proof.size} in the ${record.kind} Merkle root`,
      params: { kind: record.kind, index: proof.index + 1, size: proof.size },
    });

    const hash = blockHash(suite, header);
    if (!equalBytes(validatorSetHash(suite, trusted.validators), header.validatorsHash)) {
      return fail(
        'validators',
        'validators-set',
        'the header names a different validator set than the trusted one',
      );
    }
    steps.push({
      check: 'validators',
      ok: true,
      detail: `${trusted.validators.length} trusted validators`,
      params: { count: trusted.validators.length },
    });

    const cert = verifyCertificate(suite, trusted.chainId, certificate, trusted.validators, {
      height: header.height,
      blockHash: hash,
    });
    if (!cert.ok) return fail('certificate', cert.code, cert.reason, cert.params);
    steps.push({
      check: 'certificate',
      ok: true,
      detail: `signed by ${cert.power} of ${cert.total} voting power`,
      params: { power: cert.power, total: cert.total },
    });
    return { ok: true, height: header.height, blockHash: toHex(hash), steps };
  } catch (error) {
    return fail('input', 'input', `malformed proof input: ${(error as Error)?.message ?? String(error)}`);
  }
}

/** A self-contained receipt: everything but the trusted validator set, in one canonical byte string. */
export interface ProofBundle {
  record: ChainRecord;
  proof: InclusionProof;
  header: BlockHeader;
  certificate: CommitCertificate;
}

export function encodeProofBundle(bundle: ProofBundle): Uint8Array {
  return encodeCanonical({
    type: 'proof',
    v: 1,
    kind: bundle.record.kind,
    record: bundle.record.bytes,
    index: bundle.proof.index,
    size: bundle.proof.size,
    path: bundle.proof.path,
    header: encodeHeader(bundle.header),
    certificate: certificateToValue(bundle.certificate),
  });
}

export function decodeProofBundle(bytes: Uint8Array): ProofBundle {
  const v = decodeCanonical(bytes) as ValueMap;
  if (!v || typeof v !== 'object' || v.type !== 'proof' || v.v !== 1)
    throw new Error('not a version 1 proof bundle');
  if (v.kind !== 'tx' && v.kind !== 'event') throw new Error('proof bundle kind must be tx or event');
  if (!(v.record instanceof Uint8Array) || !(v.header instanceof Uint8Array))
    throw new Error('proof bundle record and header are bytes');
  if (!Array.isArray(v.path) || !(v.path as Value[]).every((p) => p instanceof Uint8Array))
    throw new Error('proof path is a list of hashes');
  if (typeof v.index !== 'number' || typeof v.size !== 'number')
    throw new Error('proof index and size are integers');
  return {
    record: { kind: v.kind, bytes: v.record },
    proof: { index: v.index, size: v.size, path: v.path as Uint8Array[] },
    header: decodeHeader(v.header),
    certificate: certificateFromValue(v.certificate as Value),
  };
}

/** Verify a proof bundle's bytes; malformed bytes are a failed verification, not an exception. */
export function verifyProofBundle(
  suite: CryptoSuite,
  bytes: Uint8Array,
  trusted: TrustedValidatorSet,
): Verification {
  let bundle: ProofBundle;
  try {
    bundle = decodeProofBundle(bytes);
  } catch (error) {
    return {
      ok: false,
      failed: `decode: ${(error as Error).message}`,
      steps: [{ check: 'decode', ok: false, detail: (error as Error).message, code: 'decode' }],
    };
  }
  return verifyRecord(suite, bundle.record, bundle.proof, bundle.header, bundle.certificate, trusted);
}
