// Identity: accounts register a passport DID, authorities attest who is behind them, authorities grant
// app roles, and an account can move to a new signing key without changing its address. It must never
// store an ID number or a name in the clear (only salted hashes computed off chain), never let an
// account register or rotate keys for another, and never let anyone but an authority of the right
// scope attest or grant roles.
import {
  type Address,
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
  didOf,
  equalBytes,
  KEYS_PREFIX,
} from '@gongxin/ledger';
import { z } from 'zod';
import { parseGenesis, zAddress, zAttributes, zBytes, zHash32, zReason, zSlug } from '../common';
import { hasScope } from '../governance/views';
import { identityEvents } from './events';
import {
  ACCOUNT_KINDS,
  type Account,
  ATTESTED_KINDS,
  type Attestation,
  accountOf,
  attestationOf,
  hasRole,
  identityKeys,
  type RoleGrant,
} from './views';

/** The authority scope that may attest identities and grant roles in any app. */
export const IDENTITY_SCOPE = 'identity';

const zAttestation = z
  .object({
    subject: zAddress,
    kind: z.enum(ATTESTED_KINDS),
    idHash: zHash32,
    nameHash: zHash32.optional(),
    facts: zAttributes.optional(),
  })
  .strict();

const zRole = z.object({ subject: zAddress, app: zSlug, role: zSlug }).strict();

function requireIdentityAuthority(ctx: ContractContext, what: string): void {
  if (!hasScope(ctx, ctx.sender, IDENTITY_SCOPE)) {
    throw new ContractError('not_authorized', `only an authority with scope "${IDENTITY_SCOPE}" may ${what}`);
  }
}

function requireRoleAuthority(ctx: ContractContext, app: string): void {
  if (!hasScope(ctx, ctx.sender, IDENTITY_SCOPE) && !hasScope(ctx, ctx.sender, app)) {
    throw new ContractError(
      'not_authorized',
      `only an authority with scope "${IDENTITY_SCOPE}" or "${app}" may manage roles of ${app}`,
    );
  }
}

function requireAccount(ctx: ContractContext, subject: Address): Account {
  const account = accountOf(ctx, subject);
  if (!account) throw new ContractError('not_found', `${subject} has not registered an identity`);
  return account;
}

function writeAccount(
  ctx: ContractContext,
  address: Address,
  kind: Account['kind'],
  profileHash: string | undefined,
): void {
  const account: Account = {
    did: didOf(address),
    kind,
    registeredAt: ctx.height,
    ...(profileHash && { profileHash }),
  };
  ctx.set(identityKeys.account(address), account);
}

function writeAttestation(ctx: ContractContext, by: string, params: z.output<typeof zAttestation>): void {
  const { subject, kind, idHash, nameHash, facts } = params;
  const account = requireAccount(ctx, subject);
  // A device or a service is not a person: an attestation must describe what the account said it is.
  if (account.kind !== kind) {
    throw new ContractError(
      'not_allowed',
      `${subject} registered as ${account.kind}; it cannot be attested as ${kind}`,
    );
  }
  const attestation: Attestation = {
    by,
    kind,
    idHash,
    ...(nameHash && { nameHash }),
    facts: facts ?? {},
    at: ctx.height,
    time: ctx.time,
  };
  ctx.set(identityKeys.attestation(subject), attestation);
}

function roleEntries(ctx: ContractContext, subject: Address): string[] {
  return ((ctx.get(identityKeys.roles(subject)) as readonly string[] | undefined) ?? []).slice();
}

function addRole(ctx: ContractContext, by: string, { subject, app, role }: z.output<typeof zRole>): void {
  const grant: RoleGrant = { by, at: ctx.height };
  ctx.set(identityKeys.role(subject, app, role), grant);
  ctx.set(identityKeys.roles(subject), [...roleEntries(ctx, subject), `${app}/${role}`].sort());
}

function removeRole(ctx: ContractContext, { subject, app, role }: z.output<typeof zRole>): void {
  ctx.delete(identityKeys.role(subject, app, role));
  const remaining = roleEntries(ctx, subject).filter((entry) => entry !== `${app}/${role}`);
  if (remaining.length > 0) ctx.set(identityKeys.roles(subject), remaining);
  else ctx.delete(identityKeys.roles(subject));
}

const zGenesis = z
  .object({
    accounts: z
      .array(
        z
          .object({ address: zAddress, kind: z.enum(ACCOUNT_KINDS), profileHash: zHash32.optional() })
          .strict(),
      )
      .optional(),
    attestations: z.array(zAttestation).optional(),
    roles: z.array(zRole).optional(),
  })
  .strict();

/** Records made by the genesis document rather than by an authority's tx. */
const GENESIS = 'genesis';

export const identityContract: ContractModule = {
  name: 'identity',
  version: 1,
  actions: {
    register: defineAction(
      z.object({ kind: z.enum(ACCOUNT_KINDS), profileHash: zHash32.optional() }).strict(),
      (ctx, { kind, profileHash }) => {
        if (accountOf(ctx, ctx.sender))
          throw new ContractError('already_exists', `${ctx.sender} is already registered`);
        writeAccount(ctx, ctx.sender, kind, profileHash);
        identityEvents.emit(ctx, 'registered', { address: ctx.sender, did: didOf(ctx.sender), kind });
      },
    ),

    attest: defineAction(zAttestation, (ctx, params) => {
      requireIdentityAuthority(ctx, 'attest identities');
      const existing = attestationOf(ctx, params.subject);
      if (existing && !existing.revoked) {
        throw new ContractError(
          'already_exists',
          `${params.subject} is already attested by ${existing.by}; revoke that first`,
        );
      }
      writeAttestation(ctx, ctx.sender, params);
      identityEvents.emit(ctx, 'attested', {
        subject: params.subject,
        by: ctx.sender,
        kind: params.kind,
        idHash: params.idHash,
      });
    }),

    revokeAttestation: defineAction(
      z.object({ subject: zAddress, reason: zReason }).strict(),
      (ctx, { subject, reason }) => {
        requireIdentityAuthority(ctx, 'revoke attestations');
        const existing = attestationOf(ctx, subject);
        if (!existing || existing.revoked)
          throw new ContractError('not_found', `${subject} has no live attestation`);
        const revoked: Attestation = {
          ...existing,
          revoked: { by: ctx.sender, reason, at: ctx.height, time: ctx.time },
        };
        ctx.set(identityKeys.attestation(subject), revoked);
        identityEvents.emit(ctx, 'attestationRevoked', { subject, by: ctx.sender, reason });
      },
    ),

    grantRole: defineAction(zRole, (ctx, params) => {
      const { subject, app, role } = params;
      requireRoleAuthority(ctx, app);
      requireAccount(ctx, subject);
      if (hasRole(ctx, subject, app, role))
        throw new ContractError('already_exists', `${subject} already has role ${app}/${role}`);
      addRole(ctx, ctx.sender, params);
      identityEvents.emit(ctx, 'roleGranted', { subject, app, role, by: ctx.sender });
    }),

    revokeRole: defineAction(zRole.extend({ reason: zReason }).strict(), (ctx, { reason, ...params }) => {
      const { subject, app, role } = params;
      requireRoleAuthority(ctx, app);
      if (!hasRole(ctx, subject, app, role))
        throw new ContractError('not_found', `${subject} does not have role ${app}/${role}`);
      removeRole(ctx, params);
      identityEvents.emit(ctx, 'roleRevoked', { subject, app, role, by: ctx.sender, reason });
    }),

    rotateKey: defineAction(z.object({ newKey: zBytes }).strict(), (ctx, { newKey }) => {
      if (newKey.length !== ctx.suite.publicKeyLength) {
        throw new ContractError(
          'invalid_params',
          `a ${ctx.suite.id} public key is ${ctx.suite.publicKeyLength} bytes, got ${newKey.length}`,
        );
      }
      if (equalBytes(newKey, ctx.senderKey))
        throw new ContractError('not_allowed', 'that is already the key signing for this account');
      // The runtime authorises signers from this key (see the ledger's authorisedKeys): from the next tx
      // on, only the new key signs for the account; its address, balances and records stay.
      ctx.as('core').set(KEYS_PREFIX + ctx.sender, [newKey]);
      identityEvents.emit(ctx, 'keyRotated', {
        address: ctx.sender,
        key: newKey,
        previousKey: ctx.senderKey,
      });
    }),
  },

  genesis(ctx, section) {
    const config = parseGenesis('identity', zGenesis, section);
    for (const { address, kind, profileHash } of config.accounts ?? [])
      writeAccount(ctx, address, kind, profileHash);
    for (const attestation of config.attestations ?? []) writeAttestation(ctx, GENESIS, attestation);
    for (const role of config.roles ?? []) {
      requireAccount(ctx, role.subject);
      if (!hasRole(ctx, role.subject, role.app, role.role)) addRole(ctx, GENESIS, role);
    }
  },
};
