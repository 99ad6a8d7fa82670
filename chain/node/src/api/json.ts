// The API's JSON shapes, shared by tRPC and the plain HTTP API so both answer the same thing. Conventions:
// top-level byte fields (ids, hashes, keys, signatures, proof bundles) are lowercase hex without a prefix;
// chain values inside them (action params, event attrs, state values) use the ledger's `toJsonValue`, so
// bytes there are `0x…` hex (to tell them from text) and bigints are decimal strings. Heights, indexes,
// nonces, counts and times are JSON numbers (always safe integers).
import {
  type BlockHeader,
  type CommitCertificate,
  type JsonValue,
  type SignedTx,
  type SuiteId,
  toHex,
  toJsonValue,
  type Validator,
  type ValueMap,
} from '@gongxin/ledger';
import { z } from 'zod';

export type Hex = string;

export interface HeaderJson {
  chainId: string;
  height: number;
  time: number;
  parentHash: Hex;
  txCount: number;
  txRoot: Hex;
  eventCount: number;
  eventRoot: Hex;
  stateRoot: Hex;
  validatorsHash: Hex;
  nextValidatorsHash: Hex;
  proposer: Hex;
}

export interface BlockSummaryJson extends HeaderJson {
  hash: Hex;
  /** Consensus round the block was decided in. */
  round: number;
}

export interface CertificateSummaryJson {
  round: number;
  signers: number;
  /** Voting power of the signers. */
  power: number;
  totalPower: number;
  /** The signers' public keys, so a console can show which validators signed the block. */
  signerKeys: Hex[];
}

export interface BlockTxJson {
  id: Hex;
  index: number;
  from: string | null;
  ok: boolean;
  code?: string;
}

/** A tx in a list spanning several blocks (`block.txs`). */
export interface BlockTxAtJson extends BlockTxJson {
  height: number;
}

export interface BlockJson extends BlockSummaryJson {
  txs: BlockTxJson[];
  certificate: CertificateSummaryJson;
}

export interface ActionJson {
  contract: string;
  name: string;
  params: JsonValue;
}

export interface TxBodyJson {
  chainId: string;
  from: string;
  key: Hex;
  nonce: number;
  actions: ActionJson[];
  memo?: string;
}

export interface ReceiptJson {
  ok: boolean;
  code?: string;
  message?: string;
  firstEvent: number;
  eventCount: number;
}

export interface EventJson {
  height: number;
  /** Position in the block's event list (and its event Merkle tree). */
  index: number;
  txIndex: number;
  txId: Hex;
  contract: string;
  name: string;
  attrs: JsonValue;
}

export interface TxJson {
  id: Hex;
  height: number;
  index: number;
  blockHash: Hex;
  time: number;
  /** null only for a tx the block recorded as undecodable (`malformed`). */
  body: TxBodyJson | null;
  signature: Hex | null;
  receipt: ReceiptJson;
  events: EventJson[];
}

export interface TxSummaryJson {
  id: Hex;
  height: number;
  index: number;
  ok: boolean;
  code?: string;
  message?: string;
  body: TxBodyJson | null;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

export interface SubmitResultJson {
  id: Hex;
  /** The same bytes were already waiting in the mempool. */
  duplicate: boolean;
}

export interface CommittedTxJson {
  id: Hex;
  height: number;
  blockHash: Hex;
  ok: boolean;
  code?: string;
  message?: string;
  events: EventJson[];
}

export interface ValidatorJson {
  key: Hex;
  power: number;
  name: string;
  operator: string;
}

/** A TrustedValidatorSet as JSON, plus where it applies. */
export interface ValidatorSetJson {
  chainId: string;
  suite: SuiteId;
  /** The height whose blocks this set signs. */
  height: number;
  validators: ValidatorJson[];
  totalPower: number;
}

export interface StateEntryJson {
  key: string;
  value: JsonValue;
  /** Height of the block that last wrote the key (0: genesis). */
  height: number;
}

export interface AccountJson {
  address: string;
  /** The nonce the account's next transaction must carry. */
  nonce: number;
  /**
   * Keys the account authorises (hex). `keysFromAddress` true means the account never rotated its key:
   * only the key its address derives from signs, and `keys` holds it when a tx of the account revealed it
   * (empty before its first tx).
   */
  keys: Hex[];
  keysFromAddress: boolean;
  /** `assets/bal/<SYMBOL>/<address>` entries: symbol → amount as a decimal string. */
  balances: Record<string, string>;
}

export interface ChainInfoJson {
  chainId: string;
  suite: SuiteId;
  genesisHash: Hex;
  head: { height: number; hash: Hex; time: number; stateRoot: Hex };
  round: number;
  validators: ValidatorJson[];
  totalPower: number;
  mempool: { size: number; bytes: number };
}

/**
 * The genesis document the chain started from, as the node stored it: its canonical encoding (hex), which
 * hashes, with the `genesis` type tag, to `genesisHash`. Bytes rather than JSON, so a reader gets back
 * exactly the document (bigints and bytes included) and can check it against the hash.
 */
export interface GenesisDocumentJson {
  genesisHash: Hex;
  /** encodeCanonical of `{ chainId, suite, time, validators, contracts }`. */
  encoded: Hex;
}

export interface ProofJson {
  kind: 'tx' | 'event';
  /** `encodeProofBundle` as hex: verify with `verifyProofBundle` and a trusted validator set. */
  bundle: Hex;
  height: number;
  blockHash: Hex;
  /** The record's bytes (a tx's wire form, or an event's canonical encoding). */
  record: Hex;
  proof: { index: number; size: number; path: Hex[] };
  header: HeaderJson;
  certificate: {
    height: number;
    round: number;
    blockHash: Hex;
    signatures: { key: Hex; signature: Hex }[];
  };
}

export interface TxProofJson extends ProofJson {
  kind: 'tx';
  tx: TxSummaryJson;
}

export interface EventProofJson extends ProofJson {
  kind: 'event';
  event: EventJson;
}

// ---------------------------------------------------------------------------------------- converters

export function headerJson(h: BlockHeader): HeaderJson {
  return {
    chainId: h.chainId,
    height: h.height,
    time: h.time,
    parentHash: toHex(h.parentHash),
    txCount: h.txCount,
    txRoot: toHex(h.txRoot),
    eventCount: h.eventCount,
    eventRoot: toHex(h.eventRoot),
    stateRoot: toHex(h.stateRoot),
    validatorsHash: toHex(h.validatorsHash),
    nextValidatorsHash: toHex(h.nextValidatorsHash),
    proposer: toHex(h.proposer),
  };
}

export function txBodyJson(tx: SignedTx): TxBodyJson {
  const { body } = tx;
  const out: TxBodyJson = {
    chainId: body.chainId,
    from: body.from,
    key: toHex(body.key),
    nonce: body.nonce,
    actions: body.actions.map((a) => ({
      contract: a.contract,
      name: a.name,
      params: toJsonValue(a.params as ValueMap),
    })),
  };
  if (body.memo !== undefined) out.memo = body.memo;
  return out;
}

export function validatorJson(v: Validator): ValidatorJson {
  return { key: toHex(v.key), power: v.power, name: v.name, operator: v.operator };
}

export function certificateJson(c: CommitCertificate): ProofJson['certificate'] {
  return {
    height: c.height,
    round: c.round,
    blockHash: toHex(c.blockHash),
    signatures: c.signatures.map((s) => ({ key: toHex(s.key), signature: toHex(s.signature) })),
  };
}

// ---------------------------------------------------------------------------------------- input schemas

const MAX_HEIGHT = Number.MAX_SAFE_INTEGER;

/** 32 bytes as hex (a tx id or block hash); `0x` and upper case accepted, answered in lowercase. */
export const hash32 = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'expected 32 bytes as hex')
  .transform((s) => s.replace(/^0x/, '').toLowerCase());

export const heightSchema = z.number().int().min(0).max(MAX_HEIGHT);
export const indexSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
export const limitSchema = (max = 100, fallback = 20) => z.number().int().min(1).max(max).default(fallback);

/** Keyset cursor: the (height, index) of the last item of the previous page. Opaque to clients. */
export const cursorSchema = z.string().regex(/^\d{1,16}\.\d{1,10}$/, 'not a cursor from this API');

export interface Position {
  height: number;
  index: number;
}

export function parseCursor(cursor: string | undefined): Position | null {
  if (!cursor) return null;
  const [h, i] = cursor.split('.');
  return { height: Number(h), index: Number(i) };
}

export function formatCursor(p: Position): string {
  return `${p.height}.${p.index}`;
}

/** State keys: printable ASCII, 1–256 characters (the ledger's rule). */
export const stateKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,256}$/, 'state keys are 1–256 printable ASCII');

export const contractNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'not a contract name');
export const eventNameSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,64}$/, 'event names are 1–64 printable ASCII');
