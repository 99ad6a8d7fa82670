// The newest block this page has seen one of its own txs committed in. Reads of the app APIs carry it
// (the `x-chain-height` header, see createAppTrpc) and the app answers from read models that hold that
// block, so a list reloaded right after a signed action shows what the action did.

let seen = 0;

/** A tx this page sent was committed at `height`. */
export function noteCommitted(height: number): void {
  if (Number.isSafeInteger(height) && height > seen) seen = height;
}

/** The newest block a tx of this page was committed in; 0 before any. */
export function committedHeight(): number {
  return seen;
}
