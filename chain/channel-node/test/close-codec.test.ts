// A cooperative close on the wire and in the log: its messages and records come back as they went, and a
// malformed one is refused with the field named.
import type { DurableRecord, Message } from '@gongxin/channels';
import { decodeCanonical, encodeCanonical, type Value } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { CodecError, decodeMessage, decodeRecords, encodeMessage, encodeRecords } from '../src/codec';

const wire = (m: Message): Value => decodeCanonical(encodeCanonical(encodeMessage(m)));
const balances = [
  { symbol: 'CNYD', a: 7_500n, b: 12_500n },
  { symbol: 'GXC', a: 0n, b: 3n },
];

describe('cooperative close codec', () => {
  it('takes shutdown and closeSign messages back as they were sent', () => {
    for (const m of [
      { t: 'shutdown', channel: 'c1' },
      { t: 'shutdown', channel: 'c1', reply: true },
      { t: 'closeSign', channel: 'c1', balances, signature: new Uint8Array(64).fill(9) },
    ] as Message[])
      expect(decodeMessage(wire(m))).toEqual(m);
  });

  it('refuses malformed ones, naming the field', () => {
    const bad = (m: unknown) => decodeCanonical(encodeCanonical(m as Value));
    expect(() => decodeMessage(bad({ t: 'shutdown', channel: 'c1', reply: 1 }))).toThrow(CodecError);
    expect(() => decodeMessage(bad({ t: 'shutdown', channel: 'c1', reply: 1 }))).toThrow('message.reply');
    expect(() =>
      decodeMessage(
        bad({
          t: 'closeSign',
          channel: 'c1',
          balances: [{ symbol: 'X', a: -1n, b: 0n }],
          signature: new Uint8Array(64),
        }),
      ),
    ).toThrow('message.balances[0].a');
    expect(() =>
      decodeMessage(
        bad({
          t: 'closeSign',
          channel: 'c1',
          balances: Array(9).fill(balances[0]),
          signature: new Uint8Array(64),
        }),
      ),
    ).toThrow('message.balances');
    expect(() => decodeMessage(bad({ t: 'closeSign', channel: 'c1', balances }))).toThrow(
      'message.signature',
    );
  });

  it('keeps shutdown records in the log', () => {
    const records: DurableRecord[] = [
      { t: 'shutdown', channel: 'c1' },
      { t: 'shutdown', channel: 'c1', balances, signatureA: new Uint8Array(64).fill(1) },
      {
        t: 'shutdown',
        channel: 'c1',
        balances,
        signatureA: new Uint8Array(64).fill(1),
        signatureB: new Uint8Array(64).fill(2),
      },
    ];
    expect(decodeRecords(encodeRecords(records))).toEqual(records);
  });
});
