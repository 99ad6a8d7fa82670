// Applications for a verified identity. The browser has already registered the account on chain
// (`identity.register`, signed in the browser); here passport checks the ID number's check digit, the
// liveness session, the applicant's signature (only the holder of the key applies for an address), that
// the chain knows the account, and keeps one pending application per address. The number is stored
// encrypted and as its salted hash (duplicates are flagged for the officer by hash, never by the number).
// Nothing in here may log or echo the number: errors name the field and the problem only.
import { randomUUID } from 'node:crypto';
import { appError, type ReasonParams } from '@gongxin/app-kit';
import type { ChainClient } from '@gongxin/client';
import type { Database } from '@gongxin/db';
import { isUniqueViolation } from '@gongxin/db';
import { type CryptoSuite, fromHex } from '@gongxin/ledger';
import type { TRPCError } from '@trpc/server';
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import { attestationState, identityAccount, isKeyAuthorised } from './chain';
import { encryptText, idHashOf, nameHashOf, type PassportKeys } from './crypto';
import { checkIdNumber, maskIdNumber } from './idNumber';
import type { LivenessVerifier } from './liveness';
import { applyMessage } from './messages';
import { applications, attestations, livenessSessions } from './schema';

export const LIVENESS_TTL_MS = 30 * 60 * 1000;
const MAX_LIVENESS_ATTEMPTS = 5;

export type AccountKindApplied = 'person' | 'organization';

export interface ApplyInput {
  address: string;
  kind: AccountKindApplied;
  /** A person's real name, or an organization's registered name. */
  realName: string;
  idNumber: string;
  livenessSessionId: string;
  /** hex: the key that signs for `address`. */
  publicKey: string;
  /** hex: signature over applyMessage({ origin, address, livenessSessionId }). */
  signature: string;
}

export type ApplicationRow = typeof applications.$inferSelect;

/** What officers and applicants see of an application: never the number, only its masked form. */
export function publicApplication(row: ApplicationRow) {
  return {
    id: row.id,
    address: row.address,
    kind: row.kind,
    name: row.name,
    idMasked: row.idMasked,
    status: row.status,
    duplicateOf: row.duplicateOf,
    liveness: { verifier: row.livenessVerifier, score: row.livenessScore },
    reason: row.reason,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    attestedHeight: row.attestedHeight,
    attestedTx: row.attestedTx,
    demo: row.demo,
    submittedAt: row.submittedAt.toISOString(),
  };
}

export type PublicApplication = ReturnType<typeof publicApplication>;

/** Refuses with `key` (and `params`) for the page to say in its language, `message` for the log. */
function refuse(code: TRPCError['code'], key: string, message: string, params: ReasonParams = {}): never {
  throw appError(code, key, params, message);
}

export class RegistrationService {
  constructor(
    private readonly database: Database,
    private readonly chain: ChainClient,
    private readonly suite: () => Promise<CryptoSuite>,
    private readonly keys: PassportKeys,
    readonly verifier: LivenessVerifier,
    private readonly origins: readonly string[],
    /**
     * The deployment clock, for the dates of applications (an approval is dated by its block time).
     * Liveness sessions expire on the wall clock.
     */
    private readonly now: () => number = Date.now,
  ) {}

  // ---------------------------------------------------------------------------------------- liveness

  async startLiveness(address: string) {
    const { prompt, state } = await this.verifier.begin(address);
    const id = randomUUID();
    await this.database.db.insert(livenessSessions).values({
      id,
      address,
      verifier: this.verifier.name,
      prompt,
      state,
      expiresAt: new Date(Date.now() + LIVENESS_TTL_MS),
    });
    return {
      sessionId: id,
      verifier: { name: this.verifier.name, development: this.verifier.development },
      prompt,
    };
  }

  async submitLiveness(sessionId: string, response: string) {
    const [session] = await this.database.db
      .select()
      .from(livenessSessions)
      .where(eq(livenessSessions.id, sessionId));
    if (!session || session.expiresAt.getTime() < Date.now())
      refuse('NOT_FOUND', 'liveness_expired', 'no such liveness session (or it expired): start again');
    if (session.usedAt)
      refuse('CONFLICT', 'liveness_used', 'this liveness session was already used for an application');
    if (session.passed) return { passed: true, score: session.score ?? 1 };
    if (session.attempts >= MAX_LIVENESS_ATTEMPTS)
      refuse('TOO_MANY_REQUESTS', 'liveness_attempts', 'too many attempts: start a new check');
    const result = await this.verifier.verify({
      id: session.id,
      address: session.address,
      verifier: session.verifier,
      prompt: session.prompt as { kind: string },
      state: session.state,
      response,
    });
    await this.database.db
      .update(livenessSessions)
      .set({
        attempts: session.attempts + 1,
        passed: result.passed,
        score: result.score,
        evidenceHash: result.evidenceHash,
      })
      .where(eq(livenessSessions.id, sessionId));
    return { passed: result.passed, score: result.score };
  }

  // -------------------------------------------------------------------------------------- applications

  /** Files an application; see the module comment for the checks. */
  async apply(input: ApplyInput): Promise<{ id: string; status: 'pending'; duplicate: boolean }> {
    const check = checkIdNumber(input.kind, input.idNumber);
    if (!check.ok) refuse('BAD_REQUEST', 'id_number_invalid', `idNumber: ${check.message}`);
    const normalized = check.normalized;

    const suite = await this.suite();
    const publicKey = fromHex(input.publicKey.toLowerCase());
    const signature = fromHex(input.signature.toLowerCase());
    const signed = this.origins.some((origin) =>
      suite.verify(
        signature,
        applyMessage({ origin, address: input.address, livenessSessionId: input.livenessSessionId }),
        publicKey,
      ),
    );
    if (!signed)
      refuse(
        'UNAUTHORIZED',
        'application_not_signed',
        'the application is not signed by the key of that address',
      );
    if (!(await isKeyAuthorised(this.chain, suite, input.address, publicKey))) {
      refuse('UNAUTHORIZED', 'key_not_authorised', 'that key does not sign for the address on the chain');
    }

    const account = await identityAccount(this.chain, input.address);
    if (!account)
      refuse(
        'PRECONDITION_FAILED',
        'account_not_registered',
        'register the account on the chain first (identity.register)',
      );
    if (account.kind !== input.kind) {
      refuse(
        'BAD_REQUEST',
        'kind_mismatch',
        `kind: the account is registered on the chain as ${account.kind}`,
        { kind: account.kind },
      );
    }
    const attestation = await attestationState(this.chain, input.address);
    if (attestation && !attestation.revoked)
      refuse('CONFLICT', 'already_verified', 'this account is already verified');

    const [liveness] = await this.database.db
      .select()
      .from(livenessSessions)
      .where(eq(livenessSessions.id, input.livenessSessionId));
    if (!liveness || liveness.address !== input.address || liveness.expiresAt.getTime() < Date.now()) {
      refuse(
        'BAD_REQUEST',
        'liveness_missing',
        'livenessSessionId: no liveness check for this address (or it expired)',
      );
    }
    if (!liveness.passed)
      refuse('BAD_REQUEST', 'liveness_not_passed', 'livenessSessionId: the liveness check has not passed');
    if (liveness.usedAt)
      refuse('BAD_REQUEST', 'liveness_used', 'livenessSessionId: this liveness check was already used');

    const idHash = idHashOf(this.keys.idSalt, normalized);
    const name = input.realName.normalize('NFC').trim();
    const id = randomUUID();
    try {
      return await this.database.transaction(async (tx) => {
        const sameNumber = await tx
          .select({ id: applications.id })
          .from(applications)
          .where(
            and(
              eq(applications.idHash, idHash),
              ne(applications.address, input.address),
              inArray(applications.status, ['pending', 'approved']),
            ),
          );
        const attestedElsewhere = await tx
          .select({ subject: attestations.subject })
          .from(attestations)
          .where(
            and(
              eq(attestations.idHash, idHash),
              eq(attestations.revoked, false),
              ne(attestations.subject, input.address),
            ),
          );
        const duplicateOf = [
          ...sameNumber.map((r) => r.id),
          ...attestedElsewhere.map((r) => `attested:${r.subject}`),
        ];
        const used = await tx
          .update(livenessSessions)
          .set({ usedAt: new Date() })
          .where(and(eq(livenessSessions.id, liveness.id), eq(livenessSessions.address, input.address)))
          .returning({ id: livenessSessions.id });
        if (used.length !== 1)
          refuse('BAD_REQUEST', 'liveness_used', 'livenessSessionId: this liveness check was already used');
        await tx.insert(applications).values({
          id,
          address: input.address,
          kind: input.kind,
          name,
          idCipher: encryptText(this.keys.encryption, normalized, `application:${id}`),
          idHash,
          idMasked: maskIdNumber(normalized),
          nameHash: nameHashOf(this.keys.idSalt, name),
          status: 'pending',
          duplicateOf,
          livenessVerifier: liveness.verifier,
          livenessScore: liveness.score ?? 0,
          livenessEvidence: liveness.evidenceHash ?? '',
          submittedAt: new Date(this.now()),
        });
        return { id, status: 'pending' as const, duplicate: duplicateOf.length > 0 };
      });
    } catch (error) {
      if (isUniqueViolation(error))
        refuse('CONFLICT', 'application_pending', 'this address already has a pending application');
      throw error;
    }
  }

  async latestFor(address: string): Promise<ApplicationRow | undefined> {
    const [row] = await this.database.db
      .select()
      .from(applications)
      .where(eq(applications.address, address))
      .orderBy(desc(applications.submittedAt))
      .limit(1);
    return row;
  }

  async get(id: string): Promise<ApplicationRow | undefined> {
    const [row] = await this.database.db.select().from(applications).where(eq(applications.id, id));
    return row;
  }

  async list(status: ApplicationRow['status'] | 'all', limit: number): Promise<ApplicationRow[]> {
    const query = this.database.db.select().from(applications);
    return (status === 'all' ? query : query.where(eq(applications.status, status)))
      .orderBy(desc(applications.submittedAt))
      .limit(limit);
  }

  /** The attest action an officer's browser signs to approve: the chain learns hashes only. */
  async approvalAction(id: string) {
    const row = await this.get(id);
    if (!row) refuse('NOT_FOUND', 'application_not_found', 'no such application');
    if (row.status !== 'pending')
      refuse('CONFLICT', 'application_decided', `the application is ${row.status}, not pending`, {
        status: row.status,
      });
    if (!(await identityAccount(this.chain, row.address))) {
      refuse('PRECONDITION_FAILED', 'account_not_registered', 'the account is not registered on the chain');
    }
    return {
      application: publicApplication(row),
      actions: [
        {
          contract: 'identity',
          name: 'attest',
          params: {
            subject: row.address,
            kind: row.kind,
            idHash: row.idHash,
            nameHash: row.nameHash,
            facts: { method: 'passport', liveness: row.livenessVerifier },
          },
        },
      ],
    };
  }

  async reject(id: string, reason: string, by: string): Promise<ApplicationRow> {
    const [row] = await this.database.db
      .update(applications)
      .set({ status: 'rejected', reason, decidedBy: by, decidedAt: new Date(this.now()) })
      .where(and(eq(applications.id, id), eq(applications.status, 'pending')))
      .returning();
    if (!row) {
      const existing = await this.get(id);
      if (!existing) refuse('NOT_FOUND', 'application_not_found', 'no such application');
      refuse('CONFLICT', 'application_decided', `the application is ${existing.status}, not pending`, {
        status: existing.status,
      });
    }
    return row;
  }
}
