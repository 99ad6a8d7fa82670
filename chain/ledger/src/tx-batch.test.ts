import { describe, expect, it } from 'vitest';
import { TxRejected } from './errors';
import { decodeTxBatch, encodeTxBatch, MAX_TX_BYTES } from './tx';

describe('binary tx batches', () => {
  it('round-trips txs of any size, each decoded as its own copy', () => {
    const txs = [Uint8Array.of(1), new Uint8Array(300).fill(7), new Uint8Array(MAX_TX_BYTES).fill(9)];
    const body = encodeTxBatch(txs);
    expect(body.length).toBe(txs.reduce((s, t) => s + 4 + t.length, 0));
    expect([...body.subarray(0, 5)]).toEqual([0, 0, 0, 1, 1]);
    const back = decodeTxBatch(body);
    expect(back).toEqual(txs);
    body.fill(0);
    expect(back[1]![0]).toBe(7);
  });

  it('names what is wrong with a malformed body', () => {
    const one = encodeTxBatch([Uint8Array.of(1, 2, 3)]);
    const fails = (body: Uint8Array) => {
      try {
        decodeTxBatch(body);
      } catch (error) {
        expect(error).toBeInstanceOf(TxRejected);
        return (error as Error).message;
      }
      throw new Error('decoded a malformed batch');
    };
    expect(fails(new Uint8Array(0))).toBe('the batch is empty');
    expect(fails(one.subarray(0, 6))).toBe('tx 1: 3 bytes announced at byte 0, 2 left');
    expect(fails(Uint8Array.from([...one, 0]))).toBe('tx 2: its 4-byte length is cut short at byte 7');
    expect(fails(Uint8Array.from([...one, 0, 0, 0, 0]))).toBe(
      `tx 2: length 0 at byte 7 is not between 1 and ${MAX_TX_BYTES}`,
    );
    expect(fails(encodeTxBatch(Array.from({ length: 1001 }, () => Uint8Array.of(1))))).toBe(
      'a batch holds at most 1000 txs',
    );
  });
});
