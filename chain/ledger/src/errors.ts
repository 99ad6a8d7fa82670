// Why a transaction was refused, as a closed set of codes clients can act on. Rejections before
// execution (malformed, forged, replayed) leave no trace in state; failures during execution are
// recorded in the block with their code and only advance the sender's nonce.

export const rejectionCodes = [
  // Refused before execution: the tx is not a valid, authentic, fresh instruction of its sender.
  'malformed',
  'too_large',
  'wrong_chain',
  'bad_signature',
  'key_not_authorized',
  'bad_nonce',
  // Failed during execution: recorded, nonce advances.
  'unknown_contract',
  'unknown_action',
  'invalid_params',
  'not_authorized',
  'not_found',
  'already_exists',
  'insufficient_funds',
  'frozen',
  'overflow',
  'expired',
  'not_allowed',
  'limit_exceeded',
  'contract_fault',
] as const;

export type RejectionCode = (typeof rejectionCodes)[number];

/** Codes that make a tx invalid as a whole: it cannot be included in a block. */
export const invalidTxCodes: ReadonlySet<RejectionCode> = new Set([
  'malformed',
  'too_large',
  'wrong_chain',
  'bad_signature',
  'key_not_authorized',
  'bad_nonce',
]);

export class TxRejected extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'TxRejected';
  }
}

/** Thrown by contracts to fail the current tx with a code and a reason a person can read. */
export class ContractError extends TxRejected {
  constructor(code: RejectionCode, message: string) {
    super(code, message);
    this.name = 'ContractError';
  }
}
