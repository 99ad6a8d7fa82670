// The identity contract's events (docs/contracts.md, "identity"). Hashes only: no ID number or name.
import { attrs, defineEvents } from '../catalog';
import { ACCOUNT_KINDS, ATTESTED_KINDS } from './views';

const role = { subject: attrs.address(), app: attrs.text(), role: attrs.text(), by: attrs.address() };

export const identityEvents = defineEvents('identity', {
  registered: { address: attrs.address(), did: attrs.text(), kind: attrs.oneOf(ACCOUNT_KINDS) },
  attested: {
    subject: attrs.address(),
    by: attrs.address(),
    kind: attrs.oneOf(ATTESTED_KINDS),
    idHash: attrs.hash(),
  },
  attestationRevoked: { subject: attrs.address(), by: attrs.address(), reason: attrs.text() },
  roleGranted: role,
  roleRevoked: { ...role, reason: attrs.text() },
  keyRotated: { address: attrs.address(), key: attrs.bytes(), previousKey: attrs.bytes() },
});
