// What passport reads from the chain, through the node API (the same client every app uses): identity
// registrations, attestations, roles, authorities and the keys an account authorises. Reads are of committed
// state, so they answer what the chain decided, never what a browser claims.
import type { ChainClient } from '@gongxin/client';
import { type Authority, governanceKeys, IDENTITY_SCOPE, identityKeys } from '@gongxin/contracts';
import { type CryptoSuite, isOriginalKey, toHex } from '@gongxin/ledger';

export interface IdentityAccount {
  did: string;
  kind: 'person' | 'organization' | 'device' | 'service';
  registeredAt: number;
  profileHash?: string;
}

export interface AttestationState {
  by: string;
  kind: 'person' | 'organization';
  idHash: string;
  nameHash?: string;
  at: number;
  time: number;
  revoked?: { by: string; reason: string; at: number; time: number };
}

export interface AppRole {
  app: string;
  role: string;
}

function isNotFound(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'not_found';
}

/** A state value, or undefined when the key is absent. */
export async function readState<T>(client: ChainClient, key: string): Promise<T | undefined> {
  try {
    return (await client.state(key)).value as T;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function identityAccount(client: ChainClient, address: string): Promise<IdentityAccount | undefined> {
  return readState<IdentityAccount>(client, identityKeys.account(address));
}

export function attestationState(
  client: ChainClient,
  address: string,
): Promise<AttestationState | undefined> {
  return readState<AttestationState>(client, identityKeys.attestation(address));
}

export async function isVerifiedOnChain(client: ChainClient, address: string): Promise<boolean> {
  const attestation = await attestationState(client, address);
  return attestation !== undefined && attestation.revoked === undefined;
}

/** Roles from the identity contract's index (`identity/roles/<addr>`: `app/role` entries). */
export async function rolesOnChain(client: ChainClient, address: string): Promise<AppRole[]> {
  const index = (await readState<string[]>(client, identityKeys.roles(address))) ?? [];
  return index.map((entry) => {
    const slash = entry.indexOf('/');
    return { app: entry.slice(0, slash), role: entry.slice(slash + 1) };
  });
}

/** `"<app>:<role>"`: the form of the `roles` claim. */
export function roleClaim(role: AppRole): string {
  return `${role.app}:${role.role}`;
}

export function authorityOnChain(client: ChainClient, address: string): Promise<Authority | undefined> {
  return readState<Authority>(client, governanceKeys.authority(address));
}

export async function isIdentityAuthority(client: ChainClient, address: string): Promise<boolean> {
  return (await authorityOnChain(client, address))?.scopes.includes(IDENTITY_SCOPE) ?? false;
}

/**
 * True when `publicKey` may sign for `address` now: the key the address derives from while the account
 * never rotated, else one of the keys `rotateKey` recorded (`core/keys/<address>`), as the node's account
 * endpoint reports them.
 */
export async function isKeyAuthorised(
  client: ChainClient,
  suite: CryptoSuite,
  address: string,
  publicKey: Uint8Array,
): Promise<boolean> {
  const account = await client.account(address);
  if (account.keysFromAddress) return isOriginalKey(suite, address, publicKey);
  const hex = toHex(publicKey);
  return account.keys.some((k) => k.toLowerCase() === hex);
}

/** Keys an account authorises, as hex, for the profile page (empty before a first tx reveals the key). */
export async function authorisedKeysOf(
  client: ChainClient,
  address: string,
): Promise<{ keys: string[]; rotated: boolean }> {
  const account = await client.account(address);
  return { keys: account.keys, rotated: !account.keysFromAddress };
}
