// An imported enterprise's record checked in the browser against its batch: the leaf rebuilt from the
// record as migrated exactly as the contract encodes it (importLeaf in chain/contracts/src/registry/
// views.ts; the server's import test holds the two equal), hashed up its RFC 6962 audit path with the
// chain suite's hash, must give the Merkle root the chain keeps for the batch.
import { encodeCanonical, fromHex, leafHash, rootFromInclusionProof, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';

export interface ShownImport {
  record: {
    uscc: string;
    name: string;
    legalForm: string;
    capital: string | bigint;
    address: string;
    industry: string;
    establishedOn: string;
    representative: string;
    lei?: string;
    regNo?: string;
  };
  index: number;
  path: string[];
  batch: { root: string; count: number };
}

export function importLeafBytes(index: number, r: ShownImport['record']): Uint8Array {
  return encodeCanonical({
    type: 'gongxin/registry/import',
    index,
    uscc: r.uscc,
    name: r.name,
    legalForm: r.legalForm,
    capital: BigInt(r.capital),
    address: r.address,
    industry: r.industry,
    establishedOn: r.establishedOn,
    representative: r.representative,
    ...(r.lei !== undefined && { lei: r.lei }),
    ...(r.regNo !== undefined && { regNo: r.regNo }),
  });
}

export function verifyShownImport(p: ShownImport, suiteId = 'ed25519-sha256'): boolean {
  const hash = getSuite(suiteId as never).hash;
  const root = rootFromInclusionProof(hash, leafHash(hash, importLeafBytes(p.index, p.record)), {
    index: p.index,
    size: p.batch.count,
    path: p.path.map((x) => fromHex(x)),
  });
  return root !== null && toHex(root) === p.batch.root.toLowerCase();
}
