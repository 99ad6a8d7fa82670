// Read-only views of identity state: who registered, who is verified by an authority, and which app
// roles an account holds. Apps and other contracts decide permissions from these; views never write.
import type { Address, StateReader } from '@gongxin/ledger';

export const identityKeys = {
  account: (address: Address) => `identity/account/${address}`,
  attestation: (subject: Address) => `identity/attestation/${subject}`,
  role: (subject: Address, app: string, role: string) => `identity/role/${subject}/${app}/${role}`,
  /** Index of an account's roles as `app/role`, sorted, so listing them is one read. */
  roles: (subject: Address) => `identity/roles/${subject}`,
} as const;

export const ACCOUNT_KINDS = ['person', 'organization', 'device', 'service'] as const;
export const ATTESTED_KINDS = ['person', 'organization'] as const;

export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export type AttestedKind = (typeof ATTESTED_KINDS)[number];

export type Account = {
  readonly did: string;
  readonly kind: AccountKind;
  readonly registeredAt: number;
  /** Hash of the profile document kept off chain. */
  readonly profileHash?: string;
};

export type Attestation = {
  /** The authority that attested, or 'genesis' for identities in the genesis document. */
  readonly by: string;
  readonly kind: AttestedKind;
  /** Salted hash of the ID number or unified social credit code; the number itself never goes on chain. */
  readonly idHash: string;
  readonly nameHash?: string;
  readonly facts: { readonly [name: string]: string | number };
  readonly at: number;
  readonly time: number;
  /** Set when an authority withdrew the attestation; the record stays as history. */
  readonly revoked?: {
    readonly by: string;
    readonly reason: string;
    readonly at: number;
    readonly time: number;
  };
};

export type RoleGrant = { readonly by: string; readonly at: number };

export function accountOf(state: StateReader, address: Address): Account | undefined {
  return state.get(identityKeys.account(address)) as Account | undefined;
}

export function isRegistered(state: StateReader, address: Address): boolean {
  return accountOf(state, address) !== undefined;
}

export function attestationOf(state: StateReader, subject: Address): Attestation | undefined {
  return state.get(identityKeys.attestation(subject)) as Attestation | undefined;
}

/** Verified: an authority attested who is behind the account and has not withdrawn it. */
export function isVerified(state: StateReader, address: Address): boolean {
  const attestation = attestationOf(state, address);
  return attestation !== undefined && attestation.revoked === undefined;
}

export function hasRole(state: StateReader, address: Address, app: string, role: string): boolean {
  return state.get(identityKeys.role(address, app, role)) !== undefined;
}

export function rolesOf(state: StateReader, address: Address): { app: string; role: string }[] {
  const index = (state.get(identityKeys.roles(address)) as readonly string[] | undefined) ?? [];
  return index.map((entry) => {
    const [app = '', role = ''] = entry.split('/');
    return { app, role };
  });
}
