import { locksRootOf } from '@gongxin/contracts';
import { describe, expect, it } from 'vitest';
import { ChannelNode, type DurableRecord } from '../src/machine';
import { type LockEntry, locksRootOfEntries, toLock } from '../src/messages';
import { decodeLog, decodeRecord, encodeRecord, RecordError, RecordWriter } from '../src/record';
import { Harness, HOP_MS, MARGIN_MS, suite } from './harness';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The records of a real multi-hop payment and a direct one. */
function records(): { h: Harness; all: DurableRecord[][] } {
  const h = new Harness(3);
  h.open('ch-1', 0, 1, { PTS: [1_000n, 1_000n], BIG: [10n ** 19n, 0n] });
  h.open('ch-2', 1, 2, { PTS: [1_000n, 1_000n], BIG: [0n, 0n] });
  const hashlock = h.nodes[2]!.addInvoice(utf8('invoice'));
  h.collect();
  h.nodes[0]!.pay({ id: 'm1', asset: 'PTS', amount: 250n, route: [h.address(1), h.address(2)], hashlock });
  h.nodes[0]!.pay({ id: 'd1', asset: 'BIG', amount: 10n ** 18n + 3n, route: [h.address(1)] });
  for (let i = 0; i < 4; i++) {
    h.tick();
    h.settle();
  }
  return { h, all: h.durable };
}

describe('binary durable records', () => {
  it('decodes every record it encodes, and a log of them, to the same values', () => {
    const { all } = records();
    const flat = all.flat();
    expect(new Set(flat.map((r) => r.t))).toEqual(
      new Set(['channel', 'out', 'in', 'preimage', 'invoice', 'paid', 'payment']),
    );
    // Payments are recorded as queued when `pay` takes them; the other forms come from checkpoints,
    // closes and restarts.
    expect(flat.filter((r) => r.t === 'payment').every((r) => r.queued === true)).toBe(true);
    const others: DurableRecord[] = [
      { t: 'declined', hashlock: 'ab'.repeat(32) },
      { t: 'status', channel: 'ch-1', status: 'closing' },
      { t: 'payment', id: 'signed-1', asset: 'PTS', amount: 9n },
      { t: 'unsent', id: 'never-sent-1' },
      { t: 'failure', hashlock: 'cd'.repeat(32), attempt: 2 },
      {
        t: 'failure',
        hashlock: 'ef'.repeat(32),
        attempt: 1,
        failure: {
          node: 'node-c',
          next: 'node-d',
          asset: 'PTS',
          code: 'no_capacity',
          key: utf8('key'),
          signature: utf8('signature'),
        },
      },
      {
        t: 'payment',
        id: 'planned-1',
        asset: 'PTS',
        amount: 300n,
        queued: true,
        plan: { payee: 'node-d', tried: 2, deadline: 1_700_000_000_000, excluded: ['node-a/node-b'] },
      },
      {
        t: 'payment',
        id: 'planned-2',
        asset: 'PTS',
        amount: 300n,
        plan: { payee: 'node-d', tried: 1, deadline: 5, excluded: [] },
      },
    ];
    for (const r of [...flat, ...others]) expect(decodeRecord(encodeRecord(r))).toEqual(r);
    const w = new RecordWriter();
    for (const r of flat) w.append(r);
    const log = w.take();
    expect(decodeLog(log)).toEqual(flat);
    // A torn last record is left out; the ones before it stay.
    expect(decodeLog(log.subarray(0, log.length - 3))).toEqual(flat.slice(0, -1));
  });

  it("carries a lock's attempt number, and still reads records written without attempts", () => {
    const proof = {
      chain: 'gongxin-test',
      channel: 'ch-1',
      asset: 'PTS',
      nonce: 4,
      transferred: 10n,
      locked: 250n,
      locksRoot: utf8('root'),
      batchRoot: utf8('batch'),
      signature: utf8('sig'),
    };
    const first: LockEntry = { id: 'm1', amount: 100n, hashlock: 'ab'.repeat(32), expiry: 9_000, route: [] };
    const retried: LockEntry = { ...first, id: 'm2', hashlock: 'cd'.repeat(32), route: ['gx1c'], attempt: 3 };
    const out: DurableRecord = {
      t: 'out',
      channel: 'ch-1',
      asset: 'PTS',
      transferred: 10n,
      locks: [first, retried],
      proof,
      ops: [
        {
          t: 'lock',
          id: 'm2',
          amount: 150n,
          hashlock: 'cd'.repeat(32),
          expiry: 9_000,
          route: ['gx1c'],
          attempt: 3,
        },
        { t: 'lock', id: 'm1', amount: 100n, hashlock: 'ab'.repeat(32), expiry: 9_000, route: [] },
      ],
    };
    const inRecord: DurableRecord = {
      t: 'in',
      channel: 'ch-1',
      asset: 'PTS',
      transferred: 10n,
      locks: [retried, first],
      proof,
      countersignature: utf8('countersig'),
    };
    // Only a lock operation (the lock entries are all first attempts) is enough to carry attempts too.
    const opOnly: DurableRecord = { ...out, locks: [first], ops: [out.ops[0]!] };
    for (const r of [out, inRecord, opOnly]) {
      const decoded = decodeRecord(encodeRecord(r));
      expect(decoded).toEqual(r);
    }
    const back = decodeRecord(encodeRecord(out));
    if (back.t !== 'out') throw new Error('not an out record');
    expect(back.locks.map((l) => l.attempt)).toEqual([undefined, 3]);
    expect(back.ops.map((op) => (op.t === 'lock' ? op.attempt : null))).toEqual([3, undefined]);
    // Records of first attempts only keep the earlier form (tags 3 and 4), which still decodes.
    const plain: DurableRecord = { ...out, locks: [first], ops: [out.ops[1]!] };
    const plainIn: DurableRecord = { ...inRecord, locks: [first] };
    expect(encodeRecord(plain)[0]).toBe(3);
    expect(encodeRecord(plainIn)[0]).toBe(4);
    expect(decodeRecord(encodeRecord(plain))).toEqual(plain);
    expect(decodeRecord(encodeRecord(plainIn))).toEqual(plainIn);
    expect(encodeRecord(out)[0]).not.toBe(3);
    expect(encodeRecord(inRecord)[0]).not.toBe(4);
    // A bad attempt number is refused either way.
    expect(() => encodeRecord({ ...out, locks: [{ ...first, attempt: 0 }] })).toThrow(RecordError);
  });

  it('restarts a node from its decoded log', () => {
    const { h, all } = records();
    const w = new RecordWriter();
    for (const r of all[1]!) w.append(r);
    const restored = new ChannelNode(
      {
        suite,
        chainId: 'gongxin-test',
        privateKey: h.accounts[1]!.privateKey,
        maxBatch: 256,
        retransmitMs: 500,
        revealMarginMs: MARGIN_MS,
        hopDeltaMs: HOP_MS,
      },
      decodeLog(w.take()),
      h.now,
    );
    for (const asset of ['PTS', 'BIG'])
      expect(restored.available('ch-2', asset)).toBe(h.nodes[1]!.available('ch-2', asset));
    expect(restored.incomingNonce('ch-1', 'PTS')).toBe(h.nodes[1]!.incomingNonce('ch-1', 'PTS'));
  });

  it('refuses cut, padded and unknown records with a RecordError', () => {
    const bytes = encodeRecord({ t: 'payment', id: 'p', asset: 'PTS', amount: 5n });
    expect(() => decodeRecord(bytes.subarray(0, bytes.length - 1))).toThrow(RecordError);
    expect(() => decodeRecord(new Uint8Array([...bytes, 0]))).toThrow(RecordError);
    expect(() => decodeRecord(new Uint8Array([99]))).toThrow(RecordError);
    expect(() => encodeRecord({ t: 'payment', id: 'p', asset: 'PTS', amount: -1n })).toThrow(RecordError);
  });
});

describe('locks root over lock entries', () => {
  it('equals the contract root, also when entries are reused across states', () => {
    const locks: LockEntry[] = Array.from({ length: 7 }, (_, i) => ({
      id: `p${i}`,
      amount: BigInt(i + 1),
      hashlock: i.toString(16).padStart(64, '0'),
      expiry: 1_000_000 + i,
      route: i % 2 ? ['gx1x'] : [],
    }));
    for (let n = 0; n <= locks.length; n++) {
      const some = locks.slice(0, n).reverse();
      expect(locksRootOfEntries(suite, some)).toEqual(locksRootOf(suite, some.map(toLock)));
      expect(locksRootOfEntries(suite, some)).toEqual(locksRootOf(suite, some.map(toLock)));
    }
  });
});
