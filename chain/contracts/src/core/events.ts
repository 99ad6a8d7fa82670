// The chain's own events, which the ledger records under the contract name `core` for a tx that failed
// (its actions undone, its nonce spent) or that the block refused outright. No contract emits them; they
// are catalogued so that readers parse them like every other event.
import { attrs, defineEvents } from '../catalog';

export const coreEvents = defineEvents('core', {
  /** `action` is the index of the action that failed (0 for the first). */
  'tx.failed': { code: attrs.text(), message: attrs.text(), action: attrs.int(), from: attrs.address() },
  'tx.rejected': { code: attrs.text(), message: attrs.text() },
});
