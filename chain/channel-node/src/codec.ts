// Canonical bytes for what a channel node stores and says. Encoding is the ledger's canonical CBOR; the
// decoders check every field of what comes back (from the log or from a peer), turn integers that decode
// as numbers back into the bigints the machine counts in, and refuse anything else with a CodecError
// naming the field, so a malformed frame is counted and dropped, never let into the machine.

import {
  type ChannelInfo,
  type ChannelStatus,
  type DurableRecord,
  type Effect,
  FAILURE_CODES,
  type FailureCode,
  type LockEntry,
  type Message,
  type Op,
  type PaymentPlan,
  type RouteFailure,
} from '@gongxin/channels';
import {
  type CloseBalance,
  MAX_CHANNEL_ASSETS,
  MAX_LOCKS,
  type SignedBalanceProof,
} from '@gongxin/contracts';
import { asBigInt, decodeCanonical, encodeCanonical, type Value } from '@gongxin/ledger';

export class CodecError extends Error {
  override readonly name = 'CodecError';
}

/**
 * A peer's batch that adds more locks than one balance proof may carry (the contract's MAX_LOCKS): no
 * honest sender builds one, and the receiver could never put the proof on chain.
 */
export class TooManyLocks extends CodecError {
  constructor(
    readonly path: string,
    readonly count: number,
  ) {
    super(`${path}: ${count} locks, more than a balance proof carries (${MAX_LOCKS})`);
  }
}

type Obj = { readonly [key: string]: Value };

function fail(path: string, what: string): never {
  throw new CodecError(`${path}: ${what}`);
}

function obj(v: Value | undefined, path: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array)
    fail(path, 'expected a map');
  return v as Obj;
}

function arr(v: Value | undefined, path: string, max: number): readonly Value[] {
  if (!Array.isArray(v)) fail(path, 'expected a list');
  if (v.length > max) fail(path, `more than ${max} items`);
  return v as readonly Value[];
}

function str(v: Value | undefined, path: string, max = 256): string {
  if (typeof v !== 'string') fail(path, 'expected text');
  if (v.length > max) fail(path, `longer than ${max} characters`);
  return v;
}

const HEX64 = /^[0-9a-f]{64}$/;

function hash(v: Value | undefined, path: string): string {
  const s = str(v, path, 64);
  if (!HEX64.test(s)) fail(path, 'expected 64 lowercase hex digits');
  return s;
}

function int(v: Value | undefined, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    fail(path, 'expected a non-negative integer');
  return v;
}

function amount(v: Value | undefined, path: string): bigint {
  const b = asBigInt(v);
  if (b === undefined || b < 0n) fail(path, 'expected a non-negative integer amount');
  return b;
}

function bytes(v: Value | undefined, path: string, max = 1024): Uint8Array {
  if (!(v instanceof Uint8Array)) fail(path, 'expected bytes');
  if (v.length > max) fail(path, `more than ${max} bytes`);
  return v;
}

/**
 * Most operations and locks one durable record may carry. Larger than what a peer may send (below): logs
 * written before the lock limit held records with more, and they must still load.
 */
const MAX_LOG_ITEMS = 4096;
/**
 * Most operations one peer's batch may carry (the machine sends at most `maxBatch` a batch); of them at
 * most MAX_LOCKS may be new locks, the most one balance proof carries on chain.
 */
const MAX_MESSAGE_OPS = 4096;
const MAX_ROUTE = 16;

/** Most attempts of one payment a lock may carry. */
const MAX_ATTEMPT = 1_000;

/** A lock's attempt: absent for the first (and in every record written before attempts existed). */
function attempt(v: Value | undefined, path: string): { attempt?: number } {
  if (v === undefined) return {};
  const n = int(v, path);
  if (n < 2 || n > MAX_ATTEMPT)
    fail(path, `expected an attempt from 2 to ${MAX_ATTEMPT} (absent for the first)`);
  return { attempt: n };
}

function decodeFailure(v: Value | undefined, path: string): { failure?: RouteFailure } {
  if (v === undefined) return {};
  const o = obj(v, path);
  const code = str(o.code, `${path}.code`, 32) as FailureCode;
  if (!FAILURE_CODES.includes(code)) fail(`${path}.code`, 'unknown failure code');
  return {
    failure: {
      node: str(o.node, `${path}.node`, 128),
      next: str(o.next, `${path}.next`, 128),
      asset: str(o.asset, `${path}.asset`, 16),
      code,
      key: bytes(o.key, `${path}.key`, 256),
      signature: bytes(o.signature, `${path}.signature`, 256),
    },
  };
}

function route(v: Value | undefined, path: string): readonly string[] {
  return arr(v, path, MAX_ROUTE).map((x, i) => str(x, `${path}[${i}]`, 128));
}

export function decodeProof(v: Value | undefined, path = 'proof'): SignedBalanceProof {
  const o = obj(v, path);
  return {
    chain: str(o.chain, `${path}.chain`),
    channel: str(o.channel, `${path}.channel`, 80),
    asset: str(o.asset, `${path}.asset`, 16),
    nonce: int(o.nonce, `${path}.nonce`),
    transferred: amount(o.transferred, `${path}.transferred`),
    locked: amount(o.locked, `${path}.locked`),
    locksRoot: bytes(o.locksRoot, `${path}.locksRoot`, 32),
    batchRoot: bytes(o.batchRoot, `${path}.batchRoot`, 32),
    signature: bytes(o.signature, `${path}.signature`, 256),
  };
}

function decodeOp(v: Value, path: string): Op {
  const o = obj(v, path);
  switch (o.t) {
    case 'pay':
      return { t: 'pay', id: str(o.id, `${path}.id`), amount: amount(o.amount, `${path}.amount`) };
    case 'lock':
      return {
        t: 'lock',
        id: str(o.id, `${path}.id`),
        amount: amount(o.amount, `${path}.amount`),
        hashlock: hash(o.hashlock, `${path}.hashlock`),
        expiry: int(o.expiry, `${path}.expiry`),
        route: route(o.route, `${path}.route`),
        ...attempt(o.attempt, `${path}.attempt`),
      };
    case 'unlock':
      return {
        t: 'unlock',
        hashlock: hash(o.hashlock, `${path}.hashlock`),
        preimage: bytes(o.preimage, `${path}.preimage`, 64),
      };
    case 'remove':
      return { t: 'remove', hashlock: hash(o.hashlock, `${path}.hashlock`) };
    default:
      return fail(`${path}.t`, 'unknown operation');
  }
}

function decodeLocks(v: Value | undefined, path: string, max: number): LockEntry[] {
  return arr(v, path, max).map((x, i) => {
    const p = `${path}[${i}]`;
    const o = obj(x, p);
    return {
      id: str(o.id, `${p}.id`),
      amount: amount(o.amount, `${p}.amount`),
      hashlock: hash(o.hashlock, `${p}.hashlock`),
      expiry: int(o.expiry, `${p}.expiry`),
      route: route(o.route, `${p}.route`),
      ...attempt(o.attempt, `${p}.attempt`),
    };
  });
}

/** A cooperative close's final amounts: one per asset of the channel, at most the contract's assets. */
function decodeBalances(v: Value | undefined, path: string): CloseBalance[] {
  return arr(v, path, MAX_CHANNEL_ASSETS).map((x, i) => {
    const o = obj(x, `${path}[${i}]`);
    return {
      symbol: str(o.symbol, `${path}[${i}].symbol`, 16),
      a: amount(o.a, `${path}[${i}].a`),
      b: amount(o.b, `${path}[${i}].b`),
    };
  });
}

/** What a peer sends, as the machine takes it. Throws CodecError. */
export function decodeMessage(v: Value): Message {
  const o = obj(v, 'message');
  const channel = str(o.channel, 'message.channel', 80);
  switch (o.t) {
    case 'batch': {
      const ops = arr(o.ops, 'message.ops', MAX_MESSAGE_OPS).map((x, i) => decodeOp(x, `message.ops[${i}]`));
      const locks = ops.reduce((n, op) => (op.t === 'lock' ? n + 1 : n), 0);
      if (locks > MAX_LOCKS) throw new TooManyLocks('message.ops', locks);
      return {
        t: 'batch',
        channel,
        asset: str(o.asset, 'message.asset', 16),
        proof: decodeProof(o.proof),
        ops,
      };
    }
    case 'ack':
      return {
        t: 'ack',
        channel,
        asset: str(o.asset, 'message.asset', 16),
        nonce: int(o.nonce, 'message.nonce'),
        countersignature: bytes(o.countersignature, 'message.countersignature', 256),
      };
    case 'reveal':
      return { t: 'reveal', channel, preimage: bytes(o.preimage, 'message.preimage', 64) };
    case 'fail':
      return {
        t: 'fail',
        channel,
        hashlock: hash(o.hashlock, 'message.hashlock'),
        ...decodeFailure(o.failure, 'message.failure'),
      };
    case 'shutdown':
      if (o.reply !== undefined && o.reply !== true) fail('message.reply', 'expected true when present');
      return { t: 'shutdown', channel, ...(o.reply === true && { reply: true as const }) };
    case 'closeSign':
      return {
        t: 'closeSign',
        channel,
        balances: decodeBalances(o.balances, 'message.balances'),
        signature: bytes(o.signature, 'message.signature', 256),
      };
    default:
      return fail('message.t', 'unknown message');
  }
}

export function encodeMessage(msg: Message): Value {
  return msg as unknown as Value;
}

const STATUSES: readonly ChannelStatus[] = ['open', 'closing', 'settled'];

function decodeInfo(v: Value | undefined): ChannelInfo {
  const o = obj(v, 'info');
  const deposits: Record<string, { a: bigint; b: bigint }> = {};
  for (const [symbol, d] of Object.entries(obj(o.deposits, 'info.deposits'))) {
    const x = obj(d, `info.deposits.${symbol}`);
    deposits[symbol] = { a: amount(x.a, `${symbol}.a`), b: amount(x.b, `${symbol}.b`) };
  }
  return {
    id: str(o.id, 'info.id'),
    a: str(o.a, 'info.a'),
    b: str(o.b, 'info.b'),
    aKey: bytes(o.aKey, 'info.aKey'),
    bKey: bytes(o.bKey, 'info.bKey'),
    disputeMs: int(o.disputeMs, 'info.disputeMs'),
    deposits,
  };
}

/**
 * The version of the records this code writes. 2: a lock (in an `out` record's ops and either record's
 * locks) may carry its payment's `attempt`. 3: `failure` records (a lock that failed downstream, with
 * where and why), and a payment's `plan` (the payer's, for its later attempts). A record without `v` is
 * version 1 (no attempts: every lock is its payment's first); older records load as they are.
 */
export const RECORD_VERSION = 3;

/** Most hops a payment's plan excludes (each attempt adds a few). */
const MAX_EXCLUDED = 256;

export function decodeRecord(v: Value): DurableRecord {
  const o = obj(v, 'record');
  const version = o.v === undefined ? 1 : int(o.v, 'record.v');
  if (version < 1 || version > RECORD_VERSION)
    fail('record.v', `unknown record version ${version} (this node reads 1 to ${RECORD_VERSION})`);
  const record = decodeRecordBody(o);
  if (version === 1 && carriesAttempts(record)) fail('record', 'a version 1 record carries no attempts');
  if (version < 3 && (record.t === 'failure' || (record.t === 'payment' && record.plan)))
    fail('record', `a version ${version} record carries no failures or plans`);
  return record;
}

function carriesAttempts(r: DurableRecord): boolean {
  if (r.t !== 'out' && r.t !== 'in') return false;
  if (r.locks.some((l) => l.attempt !== undefined)) return true;
  return r.t === 'out' && r.ops.some((op) => op.t === 'lock' && op.attempt !== undefined);
}

function decodePlan(v: Value | undefined): { plan?: PaymentPlan } {
  if (v === undefined) return {};
  const o = obj(v, 'plan');
  return {
    plan: {
      payee: str(o.payee, 'plan.payee', 128),
      tried: int(o.tried, 'plan.tried'),
      deadline: int(o.deadline, 'plan.deadline'),
      excluded: arr(o.excluded, 'plan.excluded', MAX_EXCLUDED).map((x, i) =>
        str(x, `plan.excluded[${i}]`, 257),
      ),
    },
  };
}

function decodeRecordBody(o: Obj): DurableRecord {
  switch (o.t) {
    case 'channel':
      return { t: 'channel', info: decodeInfo(o.info) };
    case 'status': {
      const status = str(o.status, 'status') as ChannelStatus;
      if (!STATUSES.includes(status)) fail('status', 'unknown status');
      return { t: 'status', channel: str(o.channel, 'channel'), status };
    }
    case 'out':
      return {
        t: 'out',
        channel: str(o.channel, 'channel'),
        asset: str(o.asset, 'asset'),
        transferred: amount(o.transferred, 'transferred'),
        locks: decodeLocks(o.locks, 'locks', MAX_LOG_ITEMS),
        proof: decodeProof(o.proof),
        ops: arr(o.ops, 'ops', MAX_LOG_ITEMS).map((x, i) => decodeOp(x, `ops[${i}]`)),
      };
    case 'in':
      return {
        t: 'in',
        channel: str(o.channel, 'channel'),
        asset: str(o.asset, 'asset'),
        transferred: amount(o.transferred, 'transferred'),
        locks: decodeLocks(o.locks, 'locks', MAX_LOG_ITEMS),
        proof: decodeProof(o.proof),
        countersignature: bytes(o.countersignature, 'countersignature'),
      };
    case 'preimage':
      return {
        t: 'preimage',
        hashlock: hash(o.hashlock, 'hashlock'),
        preimage: bytes(o.preimage, 'preimage'),
      };
    case 'invoice':
      return {
        t: 'invoice',
        hashlock: hash(o.hashlock, 'hashlock'),
        preimage: bytes(o.preimage, 'preimage'),
      };
    case 'declined':
      return { t: 'declined', hashlock: hash(o.hashlock, 'hashlock') };
    case 'paid':
      return { t: 'paid', hashlock: hash(o.hashlock, 'hashlock') };
    case 'payment':
      if (o.queued !== undefined && o.queued !== true) fail('queued', 'expected true when present');
      return {
        t: 'payment',
        id: str(o.id, 'id'),
        asset: str(o.asset, 'asset'),
        amount: amount(o.amount, 'amount'),
        ...(o.queued === true && { queued: true as const }),
        ...decodePlan(o.plan),
      };
    case 'unsent':
      return { t: 'unsent', id: str(o.id, 'id') };
    case 'shutdown':
      return {
        t: 'shutdown',
        channel: str(o.channel, 'channel'),
        ...(o.balances !== undefined && { balances: decodeBalances(o.balances, 'balances') }),
        ...(o.signatureA !== undefined && { signatureA: bytes(o.signatureA, 'signatureA', 256) }),
        ...(o.signatureB !== undefined && { signatureB: bytes(o.signatureB, 'signatureB', 256) }),
      };
    case 'failure': {
      const attempt = int(o.attempt, 'attempt');
      if (attempt < 1 || attempt > MAX_ATTEMPT)
        fail('attempt', `expected an attempt from 1 to ${MAX_ATTEMPT}`);
      return {
        t: 'failure',
        hashlock: hash(o.hashlock, 'hashlock'),
        attempt,
        ...decodeFailure(o.failure, 'failure'),
      };
    }
    default:
      return fail('record.t', 'unknown record');
  }
}

/** One write's records as one value, each marked with the version it is written in. */
export function encodeRecords(records: readonly DurableRecord[]): Uint8Array {
  return encodeCanonical(records.map((r) => ({ ...r, v: RECORD_VERSION })) as unknown as Value);
}

export function decodeRecords(bytes: Uint8Array): DurableRecord[] {
  return arr(decodeCanonical(bytes), 'records', Number.MAX_SAFE_INTEGER).map(decodeRecord);
}

/** What a node hands its watcher: the machine's `watch`, `watchPreimage` and `watchDone` effects. */
export type WatchItem = Extract<Effect, { t: 'watch' | 'watchPreimage' | 'watchDone' }>;

/** Most items one hand-off may carry. */
export const MAX_WATCH_ITEMS = 10_000;

export function encodeWatchItems(items: readonly WatchItem[]): Uint8Array {
  return encodeCanonical(items as unknown as Value);
}

export function decodeWatchItem(v: Value, path = 'item'): WatchItem {
  const o = obj(v, path);
  switch (o.t) {
    case 'watch': {
      const side = str(o.side, `${path}.side`, 1);
      if (side !== 'a' && side !== 'b') fail(`${path}.side`, "expected 'a' or 'b'");
      return {
        t: 'watch',
        channel: str(o.channel, `${path}.channel`, 80),
        side,
        proof: decodeProof(o.proof, `${path}.proof`),
        countersignature: bytes(o.countersignature, `${path}.countersignature`, 256),
        locks: decodeLocks(o.locks, `${path}.locks`, MAX_LOG_ITEMS),
      };
    }
    case 'watchPreimage':
      return {
        t: 'watchPreimage',
        hashlock: hash(o.hashlock, `${path}.hashlock`),
        preimage: bytes(o.preimage, `${path}.preimage`, 64),
        expiry: int(o.expiry, `${path}.expiry`),
      };
    case 'watchDone':
      return { t: 'watchDone', hashlock: hash(o.hashlock, `${path}.hashlock`) };
    default:
      return fail(`${path}.t`, 'unknown watch item');
  }
}

/** A hand-off's items. Throws CodecError naming the first bad field. */
export function decodeWatchItems(bytes: Uint8Array): WatchItem[] {
  let v: Value;
  try {
    v = decodeCanonical(bytes);
  } catch (error) {
    throw new CodecError(`items: not canonical CBOR (${(error as Error).message})`);
  }
  return arr(v, 'items', MAX_WATCH_ITEMS).map((x, i) => decodeWatchItem(x, `items[${i}]`));
}
