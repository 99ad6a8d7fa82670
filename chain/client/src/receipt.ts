// Proof-of-existence receipts for apps and browsers: build one from the node API's tx proof, and verify one
// offline with this runtime's crypto (the format and the checks are the ledger's, see ledger/src/receipt.ts).
import {
  buildReceipt,
  fromHex,
  type NotaryReceipt,
  type ReceiptVerification,
  type VerifyReceiptInput,
  verifyReceiptWith,
} from '@gongxin/ledger';
import { getSuite, sha256 } from '@gongxin/ledger/crypto';
import type { TxProofJson, ValidatorSetJson } from '@gongxin/node/api';
import { trustedFromJson } from './convert';

/** Build a receipt from the node API's tx proof and the validator set of its height. */
export function receiptFromProof(
  subject: NotaryReceipt['subject'],
  proof: Pick<TxProofJson, 'bundle'>,
  set: Pick<ValidatorSetJson, 'chainId' | 'suite' | 'validators'>,
): NotaryReceipt {
  return buildReceipt(getSuite(set.suite), subject, fromHex(proof.bundle), trustedFromJson(set));
}

/** Check a receipt against a file, offline (see verifyReceiptWith in the ledger). */
export function verifyReceipt(input: VerifyReceiptInput): ReceiptVerification {
  return verifyReceiptWith({ getSuite, sha256 }, input);
}
