// Sign-in without a password reaching the server: the browser asks for a one-time challenge bound to the
// OIDC interaction, the person unlocks their key in the browser, signs `loginMessage(...)` and sends the
// signature. The server accepts it only when the challenge is fresh and unused (each challenge works once,
// whatever the outcome, so a replay or a guess costs a new challenge), the signature verifies, the key is
// one the account authorises on chain now (its original key, or the key it rotated to), and the account
// registered an identity.
import { randomBytes } from 'node:crypto';
import type { ChainClient } from '@gongxin/client';
import type { Database } from '@gongxin/db';
import { type CryptoSuite, fromHex, isAddress } from '@gongxin/ledger';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { identityAccount, isKeyAuthorised } from './chain';
import { loginMessage } from './messages';
import { loginChallenges } from './schema';

export const CHALLENGE_TTL_MS = 2 * 60 * 1000;

export type LoginErrorCode =
  | 'invalid_request'
  | 'challenge_unknown'
  | 'challenge_expired'
  | 'challenge_used'
  | 'bad_signature'
  | 'key_not_authorized'
  | 'not_registered';

/** A refused login: `code` tells the browser what to show; never a server error. */
export class LoginError extends Error {
  constructor(
    readonly code: LoginErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

export interface LoginAttempt {
  uid: string;
  address: string;
  /** hex */
  publicKey: string;
  /** hex */
  signature: string;
  /** hex, 64 digits; when absent, the newest unused challenge of the interaction. */
  challenge?: string;
}

const HEX = /^[0-9a-fA-F]+$/;

export class LoginService {
  constructor(
    private readonly database: Database,
    private readonly chain: ChainClient,
    private readonly suite: () => Promise<CryptoSuite>,
    /** Origins a browser may have signed from (the suite's public URL, the issuer's). */
    private readonly origins: readonly string[],
  ) {}

  /** A fresh challenge for an interaction: 32 random bytes, valid 2 minutes, usable once. */
  async issue(uid: string): Promise<{ challenge: string; expiresAt: Date }> {
    const challenge = randomBytes(32).toString('hex');
    const expiresAt = new Date(Date.now() + CHALLENGE_TTL_MS);
    await this.database.db.insert(loginChallenges).values({ challenge, uid, expiresAt });
    // Old challenges are worthless: drop them now and then.
    if (Math.random() < 0.05) {
      await this.database.db
        .delete(loginChallenges)
        .where(lt(loginChallenges.expiresAt, new Date(Date.now() - 3600_000)));
    }
    return { challenge, expiresAt };
  }

  /** Marks the challenge used (whatever follows) and returns it; refuses unknown, expired and used ones. */
  private async consume(uid: string, challenge: string | undefined): Promise<string> {
    return this.database.transaction(async (tx) => {
      const [row] = challenge
        ? await tx
            .select()
            .from(loginChallenges)
            .where(and(eq(loginChallenges.challenge, challenge.toLowerCase()), eq(loginChallenges.uid, uid)))
            .for('update')
        : await tx
            .select()
            .from(loginChallenges)
            .where(
              and(
                eq(loginChallenges.uid, uid),
                isNull(loginChallenges.usedAt),
                gt(loginChallenges.expiresAt, new Date()),
              ),
            )
            .orderBy(loginChallenges.createdAt)
            .for('update');
      if (!row)
        throw new LoginError('challenge_unknown', 'no such challenge for this sign-in: ask for a new one');
      if (row.usedAt)
        throw new LoginError('challenge_used', 'this challenge was already used: ask for a new one');
      if (row.expiresAt.getTime() <= Date.now()) {
        throw new LoginError('challenge_expired', 'the challenge expired: ask for a new one');
      }
      // Used now, even if what follows fails: one challenge, one try.
      await tx
        .update(loginChallenges)
        .set({ usedAt: new Date() })
        .where(eq(loginChallenges.challenge, row.challenge));
      return row.challenge;
    });
  }

  /** Checks a signed login; returns the address to sign in as. */
  async verify(attempt: LoginAttempt): Promise<string> {
    const { uid, address, publicKey, signature } = attempt;
    if (typeof uid !== 'string' || uid.length === 0 || uid.length > 64) {
      throw new LoginError('invalid_request', 'uid is missing');
    }
    if (!isAddress(address)) throw new LoginError('invalid_request', 'address must be a gx1… address');
    const suite = await this.suite();
    if (
      typeof publicKey !== 'string' ||
      !HEX.test(publicKey) ||
      publicKey.length !== suite.publicKeyLength * 2 ||
      typeof signature !== 'string' ||
      !HEX.test(signature) ||
      signature.length !== suite.signatureLength * 2
    ) {
      throw new LoginError(
        'invalid_request',
        'publicKey and signature must be hex of the chain suite’s sizes',
      );
    }
    if (attempt.challenge !== undefined && !/^[0-9a-fA-F]{64}$/.test(attempt.challenge)) {
      throw new LoginError('invalid_request', 'challenge must be 64 hex digits');
    }
    const challenge = await this.consume(uid, attempt.challenge);
    const key = fromHex(publicKey.toLowerCase());
    const sig = fromHex(signature.toLowerCase());
    const signed = this.origins.some((origin) =>
      suite.verify(sig, loginMessage({ origin, uid, challenge, address }), key),
    );
    if (!signed)
      throw new LoginError('bad_signature', 'the signature does not verify for this challenge and key');
    if (!(await isKeyAuthorised(this.chain, suite, address, key))) {
      throw new LoginError('key_not_authorized', 'this key does not sign for that account on the chain');
    }
    if (!(await identityAccount(this.chain, address))) {
      throw new LoginError('not_registered', 'this account has not registered an identity on the chain');
    }
    return address;
  }
}
