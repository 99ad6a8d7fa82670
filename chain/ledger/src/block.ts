// Blocks, validator sets, votes and commit certificates. A block header commits to everything the block
// did: its transactions, the events they produced, the state after it, and who may sign the next one.
// A certificate is the precommit signatures of validators holding more than two thirds of the voting
// power; with the validator set a light client trusts, it makes the header final and verifiable offline.
import type { Address } from './address';
import { equalBytes } from './bytes';
import type { CryptoSuite, SuiteId } from './crypto/types';
import { decodeCanonical, EncodingError, encodeCanonical, type Value, type ValueMap } from './encoding';

export const HEADER_VERSION = 1;

export interface BlockHeader {
  chainId: string;
  height: number;
  /** Proposer's clock in ms since the epoch, bounded by the validators (later than the parent's). */
  time: number;
  /** Hash of the previous header; for height 1, the genesis hash. */
  parentHash: Uint8Array;
  txCount: number;
  txRoot: Uint8Array;
  eventCount: number;
  eventRoot: Uint8Array;
  /** Commitment to the state after this block (see state.ts). */
  stateRoot: Uint8Array;
  validatorsHash: Uint8Array;
  nextValidatorsHash: Uint8Array;
  /** Consensus key of the validator that proposed the block. */
  proposer: Uint8Array;
}

export interface Block {
  header: BlockHeader;
  /** Wire bytes of each transaction, in order. */
  txs: Uint8Array[];
}

export interface Validator {
  /** Consensus public key (of the chain's suite). */
  key: Uint8Array;
  power: number;
  name: string;
  /** The account that acts for this validator in governance. */
  operator: Address;
}

/** What a light client trusts: the chain, its crypto suite and the validators of a height. */
export interface TrustedValidatorSet {
  chainId: string;
  suite: SuiteId;
  validators: readonly Validator[];
}

export interface CommitSignature {
  key: Uint8Array;
  signature: Uint8Array;
}

export interface CommitCertificate {
  height: number;
  round: number;
  blockHash: Uint8Array;
  signatures: CommitSignature[];
}

export type VoteKind = 'prevote' | 'precommit';

export function headerToValue(h: BlockHeader): ValueMap {
  return {
    type: 'header',
    v: HEADER_VERSION,
    chainId: h.chainId,
    height: h.height,
    time: h.time,
    parentHash: h.parentHash,
    txCount: h.txCount,
    txRoot: h.txRoot,
    eventCount: h.eventCount,
    eventRoot: h.eventRoot,
    stateRoot: h.stateRoot,
    validatorsHash: h.validatorsHash,
    nextValidatorsHash: h.nextValidatorsHash,
    proposer: h.proposer,
  };
}

export function encodeHeader(h: BlockHeader): Uint8Array {
  return encodeCanonical(headerToValue(h));
}

export function blockHash(suite: CryptoSuite, h: BlockHeader): Uint8Array {
  return suite.hash(encodeHeader(h));
}

function field<T extends Value>(
  map: ValueMap,
  name: string,
  check: (v: Value | undefined) => boolean,
  what: string,
): T {
  const v = map[name];
  if (!check(v)) throw new EncodingError(`header.${name} must be ${what}`);
  return v as T;
}

const isHash = (v: Value | undefined) => v instanceof Uint8Array && v.length === 32;
const isCount = (v: Value | undefined) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function decodeHeader(bytes: Uint8Array): BlockHeader {
  const v = decodeCanonical(bytes);
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
    throw new EncodingError('a header is a map');
  const m = v as ValueMap;
  if (m.type !== 'header' || m.v !== HEADER_VERSION) throw new EncodingError('not a version 1 header');
  const keys = Object.keys(headerToValue({} as BlockHeader));
  for (const key of Object.keys(m))
    if (!keys.includes(key)) throw new EncodingError(`unknown header field ${key}`);
  return {
    chainId: field(m, 'chainId', (x) => typeof x === 'string' && x.length > 0, 'text'),
    height: field(m, 'height', isCount, 'a height'),
    time: field(m, 'time', isCount, 'a time in ms'),
    parentHash: field(m, 'parentHash', isHash, '32 bytes'),
    txCount: field(m, 'txCount', isCount, 'a count'),
    txRoot: field(m, 'txRoot', isHash, '32 bytes'),
    eventCount: field(m, 'eventCount', isCount, 'a count'),
    eventRoot: field(m, 'eventRoot', isHash, '32 bytes'),
    stateRoot: field(m, 'stateRoot', isHash, '32 bytes'),
    validatorsHash: field(m, 'validatorsHash', isHash, '32 bytes'),
    nextValidatorsHash: field(m, 'nextValidatorsHash', isHash, '32 bytes'),
    proposer: field(
      m,
      'proposer',
      (x) => x instanceof Uint8Array && x.length > 0 && x.length <= 65,
      'a public key',
    ),
  };
}

/** Validators in canonical order (by key bytes) so every node hashes and indexes the same list. */
export function sortValidators(validators: readonly Validator[]): Validator[] {
  return [...validators].sort((a, b) => {
    const n = Math.min(a.key.length, b.key.length);
    for (let i = 0; i < n; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    return a.key.length - b.key.length;
  });
}

export function validatorsToValue(validators: readonly Validator[]): Value {
  return sortValidators(validators).map((v) => ({
    key: v.key,
    power: v.power,
    name: v.name,
    operator: v.operator,
  }));
}

export function validatorSetHash(suite: CryptoSuite, validators: readonly Validator[]): Uint8Array {
  return suite.hash(encodeCanonical({ type: 'validators', validators: validatorsToValue(validators) }));
}

export function totalPower(validators: readonly Validator[]): number {
  let total = 0;
  for (const v of validators) total += v.power;
  return total;
}

/** More than two thirds, in integers: 3·power > 2·total. */
export function isQuorum(power: number, total: number): boolean {
  return power * 3 > total * 2;
}

/** The bytes a validator signs for a vote. `blockHash` null is a vote for no block (nil). */
export function voteSignBytes(
  chainId: string,
  kind: VoteKind,
  height: number,
  round: number,
  hash: Uint8Array | null,
): Uint8Array {
  return encodeCanonical({ type: 'vote', chainId, kind, height, round, block: hash });
}

/** Why a certificate was refused, stable across wordings (a page says it in its reader's language). */
export type CertificateFailureCode =
  | 'certificate-height'
  | 'certificate-block'
  | 'certificate-round'
  | 'certificate-outsider'
  | 'certificate-duplicate'
  | 'certificate-signature'
  | 'certificate-power';

export type CertificateCheck =
  | { ok: true; power: number; total: number }
  | {
      ok: false;
      /** In English, for logs and the command line. */
      reason: string;
      code: CertificateFailureCode;
      /** The figures in `reason`. */
      params?: Record<string, string | number>;
    };

/**
 * Check a commit certificate against a validator set. Strict: every signature must be a valid
 * precommit by a distinct member of the set for exactly this block, and together they must exceed two
 * thirds of the power. A certificate carrying any bad signature is refused outright, so no byte of a
 * certificate can be changed without the check noticing.
 */
export function verifyCertificate(
  suite: CryptoSuite,
  chainId: string,
  certificate: CommitCertificate,
  validators: readonly Validator[],
  expected: { height: number; blockHash: Uint8Array },
): CertificateCheck {
  if (certificate.height !== expected.height)
    return {
      ok: false,
      reason: `certificate is for height ${certificate.height}, not ${expected.height}`,
      code: 'certificate-height',
      params: { got: certificate.height, want: expected.height },
    };
  if (!equalBytes(certificate.blockHash, expected.blockHash))
    return { ok: false, reason: 'certificate is for another block', code: 'certificate-block' };
  if (!Number.isSafeInteger(certificate.round) || certificate.round < 0)
    return { ok: false, reason: 'certificate round is not a round number', code: 'certificate-round' };
  const message = voteSignBytes(
    chainId,
    'precommit',
    certificate.height,
    certificate.round,
    certificate.blockHash,
  );
  const seen = new Set<string>();
  let power = 0;
  for (const { key, signature } of certificate.signatures) {
    const member = validators.find((v) => equalBytes(v.key, key));
    if (!member)
      return {
        ok: false,
        reason: 'certificate has a signature by a key outside the validator set',
        code: 'certificate-outsider',
      };
    const id = member.key.join(',');
    if (seen.has(id))
      return { ok: false, reason: 'certificate counts a validator twice', code: 'certificate-duplicate' };
    seen.add(id);
    if (!suite.verify(signature, message, key))
      return {
        ok: false,
        reason: `bad precommit signature by validator ${member.name}`,
        code: 'certificate-signature',
        params: { name: member.name },
      };
    power += member.power;
  }
  const total = totalPower(validators);
  if (!isQuorum(power, total))
    return {
      ok: false,
      reason: `signatures hold ${power} of ${total} voting power, not more than two thirds`,
      code: 'certificate-power',
      params: { power, total },
    };
  return { ok: true, power, total };
}

export function certificateToValue(c: CommitCertificate): ValueMap {
  return {
    height: c.height,
    round: c.round,
    blockHash: c.blockHash,
    signatures: c.signatures.map((s) => ({ key: s.key, signature: s.signature })),
  };
}

export function certificateFromValue(v: Value): CommitCertificate {
  const bad = (what: string): never => {
    throw new EncodingError(`certificate: ${what}`);
  };
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
    return bad('must be a map');
  const m = v as ValueMap;
  if (!isCount(m.height) || !isCount(m.round) || !isHash(m.blockHash) || !Array.isArray(m.signatures))
    return bad('missing fields');
  const signatures = (m.signatures as Value[]).map((s) => {
    const sm = s as ValueMap;
    if (!sm || !(sm.key instanceof Uint8Array) || !(sm.signature instanceof Uint8Array))
      return bad('signature entries are {key, signature}');
    return { key: sm.key, signature: sm.signature };
  });
  return {
    height: m.height as number,
    round: m.round as number,
    blockHash: m.blockHash as Uint8Array,
    signatures,
  };
}

/** A block on the wire and on disk: the encoded header and the txs' wire bytes. */
export function encodeBlock(block: Block): Uint8Array {
  return encodeCanonical({ header: encodeHeader(block.header), txs: block.txs });
}

export function decodeBlock(bytes: Uint8Array): Block {
  const v = decodeCanonical(bytes);
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
    throw new EncodingError('a block is a map');
  const m = v as ValueMap;
  if (
    !(m.header instanceof Uint8Array) ||
    !Array.isArray(m.txs) ||
    !(m.txs as Value[]).every((t) => t instanceof Uint8Array)
  ) {
    throw new EncodingError('a block is {header: bytes, txs: [bytes]}');
  }
  return { header: decodeHeader(m.header), txs: m.txs as Uint8Array[] };
}

export function encodeCertificate(c: CommitCertificate): Uint8Array {
  return encodeCanonical(certificateToValue(c));
}

export function decodeCertificate(bytes: Uint8Array): CommitCertificate {
  return certificateFromValue(decodeCanonical(bytes));
}

export function validatorsFromValue(v: Value): Validator[] {
  if (!Array.isArray(v)) throw new EncodingError('validators must be a list');
  return (v as ValueMap[]).map((x) => {
    if (
      !(x.key instanceof Uint8Array) ||
      typeof x.power !== 'number' ||
      typeof x.name !== 'string' ||
      typeof x.operator !== 'string'
    ) {
      throw new EncodingError('a validator is {key, power, name, operator}');
    }
    return { key: x.key, power: x.power, name: x.name, operator: x.operator };
  });
}
