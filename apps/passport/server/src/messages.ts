// The byte strings a person's key signs for passport, shared by the server (which verifies) and the web
// (which builds them for the keyring's signChallenge). Canonical CBOR maps of `type: 'gongxin-login'`,
// which no tx body has, so a signature over one can never be replayed as a transaction.
import { encodeCanonical } from '@gongxin/ledger';

export const LOGIN_MESSAGE_TYPE = 'gongxin-login';

/**
 * What the browser signs to log in: bound to the page's origin (a look-alike site's challenge cannot be
 * relayed), the OIDC interaction, the one-time challenge (64 hex digits) and the account.
 */
export function loginMessage(fields: {
  origin: string;
  uid: string;
  challenge: string;
  address: string;
}): Uint8Array {
  return encodeCanonical({
    type: LOGIN_MESSAGE_TYPE,
    origin: fields.origin,
    uid: fields.uid,
    challenge: fields.challenge,
    address: fields.address,
  });
}

/** The `uid` of an application proof: no OIDC interaction id contains ':' (they are nanoids). */
export function applyProofUid(livenessSessionId: string): string {
  return `passport-apply:${livenessSessionId}`;
}

/**
 * What the browser signs when it files an application: proves the applicant holds the key of the address
 * and binds the (single-use) liveness session to it. It is a login-typed message (the keyring's
 * signChallenge signs only `gongxin-login` maps) whose uid can never be an interaction's, and whose
 * "challenge" is the liveness session id, which the login endpoint never issued: one cannot stand in for
 * the other.
 */
export function applyMessage(fields: {
  origin: string;
  address: string;
  livenessSessionId: string;
}): Uint8Array {
  return loginMessage({
    origin: fields.origin,
    uid: applyProofUid(fields.livenessSessionId),
    challenge: fields.livenessSessionId,
    address: fields.address,
  });
}
