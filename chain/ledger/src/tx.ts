// Transactions: a body naming the chain, the sender's account and signing key, a nonce, and the contract
// actions to run atomically; signed over its canonical bytes. The tx id is the hash of the body, so it
// does not depend on which of several valid signatures carried it.
import { type Address, addressBytesFromPublicKey, formatAddress, isAddress } from './address';
import { equalBytes, toHex } from './bytes';
import { bytesKey } from './crypto/bytes';
import type { CryptoSuite } from './crypto/types';
import { decodeCanonical, EncodingError, encodeCanonical, type Value, type ValueMap } from './encoding';
import { TxRejected } from './errors';
import { leafHash } from './merkle';

export const TX_VERSION = 1;
export const MAX_TX_BYTES = 64 * 1024;
export const MAX_ACTIONS = 16;
export const MAX_MEMO_LENGTH = 256;

export interface Action {
  contract: string;
  name: string;
  params: ValueMap;
}

export interface TxBody {
  chainId: string;
  from: Address;
  /** The public key that signed; it must be one the account authorises. */
  key: Uint8Array;
  nonce: number;
  actions: readonly Action[];
  memo?: string;
}

export interface SignedTx {
  body: TxBody;
  bodyBytes: Uint8Array;
  signature: Uint8Array;
  /** hash(bodyBytes) */
  id: Uint8Array;
  /** The wire form: canonical {body, sig}. */
  bytes: Uint8Array;
}

const contractName = /^[a-z][a-z0-9_]{0,31}$/;
const actionName = /^[a-zA-Z][a-zA-Z0-9_.]{0,63}$/;

export function encodeTxBody(body: TxBody): Uint8Array {
  return encodeCanonical({
    type: 'tx',
    v: TX_VERSION,
    chainId: body.chainId,
    from: body.from,
    key: body.key,
    nonce: body.nonce,
    actions: body.actions.map((a) => ({ contract: a.contract, name: a.name, params: a.params })),
    memo: body.memo,
  } as ValueMap);
}

export function signTx(suite: CryptoSuite, body: TxBody, privateKey: Uint8Array): SignedTx {
  const bodyBytes = encodeTxBody(body);
  const signature = suite.sign(bodyBytes, privateKey);
  const bytes = encodeCanonical({ body: bodyBytes, sig: signature });
  return { body, bodyBytes, signature, id: suite.hash(bodyBytes), bytes };
}

function malformed(message: string): never {
  throw new TxRejected('malformed', message);
}

function isMap(v: Value | undefined): v is ValueMap {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}

function onlyKeys(map: ValueMap, allowed: readonly string[], what: string) {
  for (const key of Object.keys(map))
    if (!allowed.includes(key)) malformed(`unknown field "${key}" in ${what}`);
}

/**
 * The key by which a node knows a tx's exact wire bytes: the hex of its leaf hash in a block's tx Merkle
 * tree. Gossip's seen-set, the mempool and block execution all use this one hash, so each computes it
 * once and passes it on; a different signature over the same body is a different key.
 */
export function txKey(suite: CryptoSuite, bytes: Uint8Array): string {
  return toHex(leafHash(suite.hash, bytes));
}

/**
 * Decode and check the shape of a wire tx. Does not verify the signature (see verifyTxSignature): shape
 * checks are cheap and run first so garbage costs nothing.
 */
export function decodeTx(suite: CryptoSuite, bytes: Uint8Array): SignedTx {
  if (!(bytes instanceof Uint8Array)) malformed('a transaction is bytes');
  if (bytes.length > MAX_TX_BYTES)
    throw new TxRejected('too_large', `transaction of ${bytes.length} bytes exceeds ${MAX_TX_BYTES}`);
  let outer: Value;
  let inner: Value;
  try {
    outer = decodeCanonical(bytes);
    if (!isMap(outer)) malformed('a transaction is a map {body, sig}');
    onlyKeys(outer, ['body', 'sig'], 'transaction');
    if (!(outer.body instanceof Uint8Array)) malformed('transaction body must be bytes');
    if (!(outer.sig instanceof Uint8Array)) malformed('transaction signature must be bytes');
    inner = decodeCanonical(outer.body);
  } catch (error) {
    if (error instanceof EncodingError) malformed(error.message);
    throw error;
  }
  const signature = outer.sig as Uint8Array;
  const bodyBytes = outer.body as Uint8Array;
  if (signature.length !== suite.signatureLength)
    malformed(`signature must be ${suite.signatureLength} bytes`);
  if (!isMap(inner)) malformed('transaction body must be a map');
  onlyKeys(inner, ['type', 'v', 'chainId', 'from', 'key', 'nonce', 'actions', 'memo'], 'transaction body');
  if (inner.type !== 'tx') malformed('body type must be "tx"');
  if (inner.v !== TX_VERSION) malformed(`unsupported transaction version ${String(inner.v)}`);
  const { chainId, from, key, nonce, actions, memo } = inner;
  if (typeof chainId !== 'string' || chainId.length === 0 || chainId.length > 64)
    malformed('chainId must be 1–64 characters');
  if (!isAddress(from)) malformed('from must be a gx1… address');
  if (!(key instanceof Uint8Array) || key.length !== suite.publicKeyLength) {
    malformed(`key must be a ${suite.publicKeyLength}-byte public key of suite ${suite.id}`);
  }
  if (typeof nonce !== 'number' || !Number.isSafeInteger(nonce) || nonce < 0)
    malformed('nonce must be a non-negative integer');
  if (!Array.isArray(actions) || actions.length === 0 || actions.length > MAX_ACTIONS) {
    malformed(`a transaction carries 1–${MAX_ACTIONS} actions`);
  }
  if (memo !== undefined && (typeof memo !== 'string' || memo.length > MAX_MEMO_LENGTH)) {
    malformed(`memo must be text of at most ${MAX_MEMO_LENGTH} characters`);
  }
  const parsedActions: Action[] = (actions as Value[]).map((a, i) => {
    if (!isMap(a)) malformed(`action ${i} must be a map`);
    onlyKeys(a, ['contract', 'name', 'params'], `action ${i}`);
    if (typeof a.contract !== 'string' || !contractName.test(a.contract))
      malformed(`action ${i}: bad contract name`);
    if (typeof a.name !== 'string' || !actionName.test(a.name)) malformed(`action ${i}: bad action name`);
    if (!isMap(a.params)) malformed(`action ${i}: params must be a map`);
    return { contract: a.contract, name: a.name, params: a.params };
  });
  const body: TxBody = {
    chainId,
    from: from as Address,
    key: key as Uint8Array,
    nonce,
    actions: parsedActions,
  };
  if (memo !== undefined) body.memo = memo as string;
  return { body, bodyBytes, signature, id: suite.hash(bodyBytes), bytes };
}

export function verifyTxSignature(suite: CryptoSuite, tx: SignedTx): boolean {
  return suite.verify(tx.signature, tx.bodyBytes, tx.body.key);
}

// Deriving an address costs a hash and a bech32 encoding; the same signers send tx after tx.
const addressOfKey = new Map<string, Address>();

/** True when `key` is the key the address was derived from (an account that never rotated its key). */
export function isOriginalKey(suite: CryptoSuite, address: Address, key: Uint8Array): boolean {
  const cacheKey = `${suite.id}:${bytesKey(key)}`;
  let derived = addressOfKey.get(cacheKey);
  if (derived === undefined) {
    derived = formatAddress(addressBytesFromPublicKey(suite, key));
    if (addressOfKey.size >= 50_000) addressOfKey.clear();
    addressOfKey.set(cacheKey, derived);
  }
  return derived === address;
}

export function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return equalBytes(a, b);
}

/** The most txs one batch submission carries (`POST /v1/txs/batch`). */
export const MAX_BATCH_TXS = 1000;

/**
 * A batch of signed txs in its binary wire form (`application/octet-stream` on `POST /v1/txs/batch`):
 * each tx's bytes after their length as 4 bytes, big-endian. No hex, no JSON: half the bytes of the
 * JSON form, and the node takes each tx as it stands.
 */
export function encodeTxBatch(txs: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const t of txs) size += 4 + t.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const t of txs) {
    view.setUint32(at, t.length);
    out.set(t, at + 4);
    at += 4 + t.length;
  }
  return out;
}

/**
 * The txs of a binary batch, each copied out of the body. Throws `TxRejected('malformed')` naming what
 * is wrong: an empty body, a length of zero or above `MAX_TX_BYTES`, a tx cut short, more than
 * `MAX_BATCH_TXS` txs.
 */
export function decodeTxBatch(body: Uint8Array): Uint8Array[] {
  if (body.length === 0) throw new TxRejected('malformed', 'the batch is empty');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const txs: Uint8Array[] = [];
  let at = 0;
  while (at < body.length) {
    if (txs.length === MAX_BATCH_TXS)
      throw new TxRejected('malformed', `a batch holds at most ${MAX_BATCH_TXS} txs`);
    if (at + 4 > body.length)
      throw new TxRejected('malformed', `tx ${txs.length + 1}: its 4-byte length is cut short at byte ${at}`);
    const length = view.getUint32(at);
    if (length === 0 || length > MAX_TX_BYTES)
      throw new TxRejected(
        'malformed',
        `tx ${txs.length + 1}: length ${length} at byte ${at} is not between 1 and ${MAX_TX_BYTES}`,
      );
    if (at + 4 + length > body.length)
      throw new TxRejected(
        'malformed',
        `tx ${txs.length + 1}: ${length} bytes announced at byte ${at}, ${body.length - at - 4} left`,
      );
    const tx = new Uint8Array(length);
    tx.set(body.subarray(at + 4, at + 4 + length));
    txs.push(tx);
    at += 4 + length;
  }
  return txs;
}
