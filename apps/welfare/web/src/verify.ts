// A payment's proof checked in the browser: the leaf rebuilt from what is shown (area, month, position,
// household, keyed ID hash, account, amount) exactly as the contract encodes it (paymentLeaf in
// chain/contracts/src/welfare/views.ts; verify.test.ts holds the two equal), hashed up its RFC 6962 audit
// path with the chain suite's hash, must give the Merkle root the committed batch tx carries.
import { encodeCanonical, fromHex, leafHash, rootFromInclusionProof, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';

export interface ShownPayment {
  area: string;
  period: string;
  position: number;
  household: string;
  idHash: string;
  account: string;
  amount: bigint | string;
  root: string;
  size: number;
  path: string[];
}

export function paymentLeafBytes(p: Omit<ShownPayment, 'root' | 'size' | 'path'>): Uint8Array {
  return encodeCanonical({
    type: 'gongxin/welfare/payment',
    area: p.area,
    period: p.period,
    index: p.position,
    household: p.household,
    idHash: p.idHash,
    account: p.account,
    amount: BigInt(p.amount),
  });
}

export function verifyPayment(p: ShownPayment, suiteId = 'ed25519-sha256'): boolean {
  const hash = getSuite(suiteId as never).hash;
  const root = rootFromInclusionProof(hash, leafHash(hash, paymentLeafBytes(p)), {
    index: p.position,
    size: p.size,
    path: p.path.map((x) => fromHex(x)),
  });
  return root !== null && toHex(root) === p.root.toLowerCase();
}
