// The lock limit on the wire and in the log: a peer's batch that adds more locks than a balance proof
// carries (the contract's MAX_LOCKS) is refused with its own error and counted, and the link stays up;
// the durable log's decoder still loads records with more (written before the limit held).
import type { DurableRecord, Message, Op } from '@gongxin/channels';
import { MAX_LOCKS } from '@gongxin/contracts';
import { decodeCanonical, encodeCanonical, type Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount } from '@gongxin/ledger/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CodecError, decodeMessage, decodeRecords, TooManyLocks } from '../src/codec';
import { LinkManager } from '../src/links';

const hashlock = (i: number) => i.toString(16).padStart(64, '0');
const lockOps = (n: number): Op[] =>
  Array.from({ length: n }, (_, i) => ({
    t: 'lock' as const,
    id: `p${i}`,
    amount: 1n,
    hashlock: hashlock(i + 1),
    expiry: 1_000_000,
    route: [],
  }));

function batch(ops: readonly Op[]): Message {
  return {
    t: 'batch',
    channel: 'c1',
    asset: 'PTS',
    proof: {
      chain: 'test',
      channel: 'c1',
      asset: 'PTS',
      nonce: 1,
      transferred: 0n,
      locked: BigInt(ops.length),
      locksRoot: new Uint8Array(32),
      batchRoot: new Uint8Array(32),
      signature: new Uint8Array(64),
    },
    ops,
  };
}

/** A message as it travels: canonical CBOR and back, so the decoder sees what a peer's frame holds. */
const wire = (m: unknown): Value => decodeCanonical(encodeCanonical(m as Value));

describe('lock limit of the decoders', () => {
  it("refuses a peer's batch with more than MAX_LOCKS new locks, and takes one with MAX_LOCKS", () => {
    const over = wire(batch(lockOps(MAX_LOCKS + 1)));
    expect(() => decodeMessage(over)).toThrow(TooManyLocks);
    expect(() => decodeMessage(over)).toThrow(`${MAX_LOCKS + 1} locks, more than a balance proof carries`);
    // Still a CodecError: whatever handles malformed messages handles it.
    expect(() => decodeMessage(over)).toThrow(CodecError);
    const atLimit = wire(batch(lockOps(MAX_LOCKS)));
    expect((decodeMessage(atLimit) as Message & { t: 'batch' }).ops).toHaveLength(MAX_LOCKS);
    // Other operations do not count towards it: removing many locks in one batch is fine.
    const removes: Op[] = Array.from({ length: 300 }, (_, i) => ({ t: 'remove', hashlock: hashlock(i + 1) }));
    const many = wire(batch([...removes, ...lockOps(10)]));
    expect((decodeMessage(many) as Message & { t: 'batch' }).ops).toHaveLength(310);
  });

  it('loads log records holding more locks than MAX_LOCKS (older logs)', () => {
    const locks = lockOps(1_000).map(({ t: _t, ...l }) => l);
    const { proof } = batch([]) as Message & { t: 'batch' };
    const records = [
      { t: 'out', channel: 'c1', asset: 'PTS', transferred: 0n, locks, proof, ops: lockOps(1_000) },
      {
        t: 'in',
        channel: 'c1',
        asset: 'PTS',
        transferred: 0n,
        locks,
        proof,
        countersignature: new Uint8Array(64),
      },
    ];
    const decoded = decodeRecords(encodeCanonical(records as unknown as Value));
    const [out, inbound] = decoded as [DurableRecord & { t: 'out' }, DurableRecord & { t: 'in' }];
    expect(decoded).toHaveLength(2);
    expect(out.locks).toHaveLength(1_000);
    expect(out.ops).toHaveLength(1_000);
    expect(inbound.locks).toHaveLength(1_000);
  });
});

describe('lock limit on a link', () => {
  const managers: LinkManager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.close()));
  });

  it('drops an over-limit batch with its own code, counts it, and keeps the link', async () => {
    const suite = getSuite('ed25519-sha256');
    const received: Message[] = [];
    const bad: string[] = [];
    const problems: string[] = [];
    const [a, b] = [testAccount(suite, 1), testAccount(suite, 2)];
    const listener = new LinkManager({
      suite,
      chainId: 'links-test',
      privateKey: b.privateKey,
      onMessage: (_from, msg) => received.push(msg),
      onBadInput: (code) => bad.push(code),
      onProblem: (p) => problems.push(p),
    });
    const dialer = new LinkManager({
      suite,
      chainId: 'links-test',
      privateKey: a.privateKey,
      onMessage: () => {},
    });
    managers.push(listener, dialer);
    const port = await listener.listen(0);
    dialer.connect(`ws://127.0.0.1:${port}`);
    const until = async (what: string, ok: () => boolean) => {
      const started = Date.now();
      while (!ok()) {
        if (Date.now() - started > 10_000) throw new Error(`timed out: ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await until('linked', () => listener.isLinked(a.address) && dialer.isLinked(b.address));
    dialer.send(b.address, batch(lockOps(MAX_LOCKS + 1)));
    await until('counted', () => bad.length === 1);
    expect(bad).toEqual(['too_many_locks']);
    expect(listener.badBy()).toMatchObject({ too_many_locks: 1 });
    expect(listener.badBy().bad_message).toBeUndefined();
    expect(listener.counters.malformed).toBe(1);
    expect(problems.join('\n')).toContain(`more than a balance proof carries (${MAX_LOCKS})`);
    // The link stays up and the next message goes through.
    expect(listener.isLinked(a.address)).toBe(true);
    dialer.send(b.address, batch(lockOps(MAX_LOCKS)));
    await until('delivered', () => received.length === 1);
    expect(received[0]!.t).toBe('batch');
  });
});
