// Proof-of-existence receipts for apps and browsers: build one from the node API's tx proof, and verify one
// offline with this runtime's crypto (the format and the checks are the ledger's, see ledger/src/receipt.ts).
import {
  decodeProofBundle,
  decodeTx,
  fromHex,
  type NotaryReceipt,
  RECEIPT_FORMAT,
  type ReceiptVerification,
  toHex,
  type VerifyReceiptInput,
  verifyReceiptWith,
} from '@gongxin/ledger';
import { getSuite, sha256 } from '@gongxin/ledger/crypto';
import type { TxProofJson, ValidatorSetJson } from '@gongxin/node/api';

/** Build a receipt from the node API's tx proof and the validator set of its height. */
export function receiptFromProof(
  subject: NotaryReceipt['subject'],
  proof: TxProofJson,
  set: ValidatorSetJson,
): NotaryReceipt {
  const bundle = decodeProofBundle(fromHex(proof.bundle));
  const tx = decodeTx(getSuite(set.suite), bundle.record.bytes);
  return {
    format: RECEIPT_FORMAT,
    shape: 'c2sp.org/tlog-proof@v1',
    subject: { ...subject, sha256: subject.sha256.toLowerCase() },
    chain: { chainId: set.chainId, suite: set.suite },
    tx: { id: toHex(tx.id), index: bundle.proof.index, from: tx.body.from },
    block: { height: bundle.header.height, hash: proof.blockHash, time: bundle.header.time },
    inclusion: {
      index: bundle.proof.index,
      size: bundle.proof.size,
      path: bundle.proof.path.map(toHex),
    },
    proof: proof.bundle,
    validators: set.validators.map((v) => ({
      key: v.key,
      power: v.power,
      name: v.name,
      operator: v.operator,
    })),
  };
}

/** Check a receipt against a file, offline (see verifyReceiptWith in the ledger). */
export function verifyReceipt(input: VerifyReceiptInput): ReceiptVerification {
  return verifyReceiptWith({ getSuite, sha256 }, input);
}
