import { type Payment, paymentLeaf, paymentRoot } from '@gongxin/contracts';
import { inclusionProof, leafHash, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { describe, expect, it } from 'vitest';
import { paymentLeafBytes, verifyPayment } from './verify';

const suite = getSuite('ed25519-sha256');
const list: Payment[] = [0, 1, 2, 3, 4].map((i) => ({
  household: `${'a'.repeat(63)}${i}`,
  idHash: `${'b'.repeat(63)}${i}`,
  account: `gx1demo${i}`,
  amount: BigInt(50_000 + i),
})) as Payment[];

describe('payment proof in the browser', () => {
  it('rebuilds the contract leaf, verifies every payment and refuses a changed amount', () => {
    const root = toHex(paymentRoot(suite.hash, '530702', '2027-01', list));
    const hashes = list.map((p, i) => leafHash(suite.hash, paymentLeaf('530702', '2027-01', i, p)));
    list.forEach((p, i) => {
      const shown = { ...p, area: '530702', period: '2027-01', position: i };
      expect(toHex(paymentLeafBytes(shown))).toBe(toHex(paymentLeaf('530702', '2027-01', i, p)));
      const proof = inclusionProof(suite.hash, hashes, i);
      const full = { ...shown, root, size: proof.size, path: proof.path.map((x) => toHex(x)) };
      expect(verifyPayment(full)).toBe(true);
      expect(verifyPayment({ ...full, amount: p.amount + 1n })).toBe(false);
      expect(verifyPayment({ ...full, position: (i + 1) % 5 })).toBe(false);
    });
  });
});
