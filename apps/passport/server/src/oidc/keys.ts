// The OpenID Provider's signing keys (ES256), kept in `passport.signing_keys` with the private part
// encrypted under the passport secret. One key is `active` (signs new ID tokens); after a rotation the
// former one stays published as `previous`, so a relying party can still verify tokens signed just before;
// the rotation after that retires it (no longer published). ID tokens live 10 minutes, so rotating at most
// every few hours keeps every unexpired token verifiable.
import type { Database } from '@gongxin/db';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { decryptText, encryptText } from '../crypto';
import { signingKeys } from '../schema';

export const SIGNING_ALG = 'ES256';

export interface KeySummary {
  kid: string;
  alg: string;
  status: 'active' | 'previous' | 'retired';
  createdAt: Date;
}

async function newKey(): Promise<{ kid: string; privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const meta = { kid, alg: SIGNING_ALG, use: 'sig' };
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...publicJwk, ...meta },
  };
}

export class SigningKeyStore {
  constructor(
    private readonly database: Database,
    private readonly encryption: Uint8Array,
  ) {}

  private async insertActive(tx: Pick<Database['db'], 'insert'>): Promise<string> {
    const key = await newKey();
    await tx.insert(signingKeys).values({
      kid: key.kid,
      alg: SIGNING_ALG,
      privateCipher: encryptText(this.encryption, JSON.stringify(key.privateJwk), `jwk:${key.kid}`),
      publicJwk: key.publicJwk as Record<string, string>,
      status: 'active',
    });
    return key.kid;
  }

  /** Creates the first key when there is none. Safe to call at every start. */
  async ensure(): Promise<void> {
    await this.database.transaction(async (tx) => {
      const [active] = await tx.select().from(signingKeys).where(eq(signingKeys.status, 'active')).limit(1);
      if (!active) await this.insertActive(tx);
    });
  }

  /** Private JWKs for oidc-provider: the active key first (it signs), then the previous one. */
  async privateJwks(): Promise<JWK[]> {
    const rows = await this.database.db
      .select()
      .from(signingKeys)
      .where(inArray(signingKeys.status, ['active', 'previous']))
      .orderBy(asc(signingKeys.status), desc(signingKeys.createdAt));
    return rows.map(
      (row) => JSON.parse(decryptText(this.encryption, row.privateCipher, `jwk:${row.kid}`)) as JWK,
    );
  }

  async list(): Promise<KeySummary[]> {
    const rows = await this.database.db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
    return rows.map((r) => ({ kid: r.kid, alg: r.alg, status: r.status, createdAt: r.createdAt }));
  }

  /**
   * New active key; the active one becomes `previous` (still published), an older `previous` is retired.
   * Returns the new key id. The provider must be rebuilt with `privateJwks()` afterwards
   * (PassportOidc.rotateKeys does both).
   */
  async rotate(): Promise<string> {
    return this.database.transaction(async (tx) => {
      await tx
        .update(signingKeys)
        .set({ status: 'retired', retiredAt: new Date() })
        .where(eq(signingKeys.status, 'previous'));
      await tx.update(signingKeys).set({ status: 'previous' }).where(eq(signingKeys.status, 'active'));
      return this.insertActive(tx);
    });
  }
}
