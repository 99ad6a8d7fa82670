// A route failure on the wire and locks' attempts in the log: a `fail` message carries its failure (the
// failing node, its next hop, the asset, the reason code, the node's key and signature) through canonical
// CBOR unchanged, and a bad one is refused by field; records are written as version 3 (a lock may carry
// its payment's attempt, a failure and a payment's plan are kept), and version 1 records (no `v`, no
// attempts) and version 2 ones written before still load.
import type { DurableRecord, LockEntry, Message } from '@gongxin/channels';
import { decodeCanonical, encodeCanonical, type Value } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { CodecError, decodeMessage, decodeRecords, encodeRecords, RECORD_VERSION } from '../src/codec';

const wire = (m: unknown): Value => decodeCanonical(encodeCanonical(m as Value));
const H = 'ab'.repeat(32);

const fail: Message = {
  t: 'fail',
  channel: 'c1',
  hashlock: H,
  failure: {
    node: 'node-c',
    next: 'node-d',
    asset: 'PTS',
    code: 'no_capacity',
    key: new Uint8Array(32).fill(7),
    signature: new Uint8Array(64).fill(9),
  },
};

const proof = {
  chain: 'test',
  channel: 'c1',
  asset: 'PTS',
  nonce: 2,
  transferred: 0n,
  locked: 5n,
  locksRoot: new Uint8Array(32),
  batchRoot: new Uint8Array(32),
  signature: new Uint8Array(64),
};

const lock = (attempt?: number): LockEntry => ({
  id: 'pay-1',
  amount: 5n,
  hashlock: H,
  expiry: 1_000,
  route: ['node-d'],
  ...(attempt !== undefined && { attempt }),
});

const out = (l: LockEntry): DurableRecord => ({
  t: 'out',
  channel: 'c1',
  asset: 'PTS',
  transferred: 0n,
  locks: [l],
  proof,
  ops: [{ t: 'lock', ...l }],
});

describe('route failures on the wire', () => {
  it('carries the failure through unchanged, and a fail without one still decodes', () => {
    expect(decodeMessage(wire(fail))).toEqual(fail);
    const bare = { t: 'fail', channel: 'c1', hashlock: H };
    expect(decodeMessage(wire(bare))).toEqual(bare);
  });

  it('refuses a failure with an unknown code or a missing field, naming it', () => {
    const f = (fail as Message & { t: 'fail' }).failure!;
    expect(() => decodeMessage(wire({ ...fail, failure: { ...f, code: 'bored' } }))).toThrow(
      'message.failure.code: unknown failure code',
    );
    const { signature: _, ...unsigned } = f;
    expect(() => decodeMessage(wire({ ...fail, failure: unsigned }))).toThrow(CodecError);
    expect(() => decodeMessage(wire({ ...fail, failure: 'no_capacity' }))).toThrow(
      'message.failure: expected a map',
    );
  });

  it('takes a lock attempt from 2 up, and no other', () => {
    const batch = (attempt: unknown) => ({
      t: 'batch',
      channel: 'c1',
      asset: 'PTS',
      proof,
      ops: [{ t: 'lock', ...lock(), attempt }],
    });
    expect((decodeMessage(wire(batch(2))) as Message & { t: 'batch' }).ops[0]).toMatchObject({ attempt: 2 });
    for (const bad of [0, 1, -2, 'two', 1_001])
      expect(() => decodeMessage(wire(batch(bad))), String(bad)).toThrow('message.ops[0].attempt');
  });
});

describe('records with attempts', () => {
  it('writes records as version 3 and reads them back with their attempts', () => {
    const records = [out(lock(3)), out(lock())];
    const raw = decodeCanonical(encodeRecords(records)) as { v: number }[];
    expect(raw.map((r) => r.v)).toEqual([RECORD_VERSION, RECORD_VERSION]);
    expect(RECORD_VERSION).toBe(3);
    expect(decodeRecords(encodeRecords(records))).toEqual(records);
  });

  it('loads version 1 records (no v, no attempts) as first attempts, and refuses a version it does not know', () => {
    const v1 = encodeCanonical([out(lock())] as unknown as Value);
    const [loaded] = decodeRecords(v1);
    expect(loaded).toEqual(out(lock()));
    expect((loaded as DurableRecord & { t: 'out' }).locks[0]!.attempt).toBeUndefined();
    // A record without `v` that carries attempts was not written by a version 1 node.
    expect(() => decodeRecords(encodeCanonical([out(lock(2))] as unknown as Value))).toThrow(
      'a version 1 record carries no attempts',
    );
    expect(() => decodeRecords(encodeCanonical([{ ...out(lock()), v: 4 }] as unknown as Value))).toThrow(
      'unknown record version 4',
    );
  });
});

describe('failures and plans in the log', () => {
  const failure: DurableRecord = { t: 'failure', hashlock: H, attempt: 2, failure: fail.failure! };
  const planned: DurableRecord = {
    t: 'payment',
    id: 'pay-1',
    asset: 'PTS',
    amount: 5n,
    queued: true,
    plan: { payee: 'node-d', tried: 2, deadline: 1_700_000_000_000, excluded: ['node-a/node-b'] },
  };

  it('reads back a failure (with or without where and why) and a payment with its plan', () => {
    const records = [failure, { t: 'failure', hashlock: H, attempt: 1 } as DurableRecord, planned];
    expect(decodeRecords(encodeRecords(records))).toEqual(records);
  });

  it('refuses them in an older version, and a bad field by name', () => {
    for (const r of [failure, planned])
      expect(() => decodeRecords(encodeCanonical([{ ...r, v: 2 }] as unknown as Value))).toThrow(
        'a version 2 record carries no failures or plans',
      );
    const bad = (r: unknown) => () => decodeRecords(encodeCanonical([{ ...(r as object), v: 3 }] as Value[]));
    expect(bad({ ...failure, attempt: 0 })).toThrow('attempt');
    expect(bad({ ...failure, failure: { ...fail.failure, code: 'bogus' } })).toThrow('failure.code');
    expect(bad({ ...planned, plan: { payee: 'node-d', tried: 1, deadline: 5 } })).toThrow('plan.excluded');
    expect(bad({ ...planned, plan: { payee: 'node-d', tried: -1, deadline: 5, excluded: [] } })).toThrow(
      'plan.tried',
    );
  });
});
