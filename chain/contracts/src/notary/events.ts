// The notary contract's one event: with its inclusion proof it is the certificate of an anchor.
import { attrs, defineEvents } from '../catalog';

export const notaryEvents = defineEvents('notary', {
  anchored: { hash: attrs.hash(), type: attrs.text(), by: attrs.address() },
});
