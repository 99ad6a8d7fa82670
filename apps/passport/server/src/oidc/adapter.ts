// oidc-provider's storage on PostgreSQL/PGlite (`passport.oidc_models`): sessions, grants, interactions,
// authorization codes and tokens survive a restart and are shared by every process on one database.
// `Client` is special: third-party clients come from `passport.clients` (their secret decrypted on read);
// suite clients are static in the provider's configuration and never reach the adapter.
import type { Database } from '@gongxin/db';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { decryptText } from '../crypto';
import { clients, oidcModels } from '../schema';

export type AdapterPayload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  consumed?: number;
};

export interface OidcAdapter {
  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<AdapterPayload | undefined>;
  findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
  findByUid(uid: string): Promise<AdapterPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** Client metadata for a third-party client from the database, as oidc-provider expects it. */
export function thirdPartyClientMetadata(
  row: typeof clients.$inferSelect,
  encryption: Uint8Array,
): AdapterPayload {
  return {
    client_id: row.clientId,
    client_secret: decryptText(encryption, row.secretCipher, `client:${row.clientId}`),
    client_name: row.name,
    redirect_uris: row.redirectUris,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    'gongxin.firstParty': false,
  };
}

export class PgAdapter implements OidcAdapter {
  constructor(
    private readonly database: Database,
    private readonly model: string,
    private readonly encryption: Uint8Array,
  ) {}

  private live(row: typeof oidcModels.$inferSelect | undefined): AdapterPayload | undefined {
    if (!row) return undefined;
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return undefined;
    const payload = row.payload as AdapterPayload;
    return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null;
    const values = {
      model: this.model,
      id,
      payload,
      grantId: payload.grantId ?? null,
      userCode: payload.userCode ?? null,
      uid: payload.uid ?? null,
      accountId: payload.accountId ?? null,
      expiresAt,
    };
    await this.database.db
      .insert(oidcModels)
      .values(values)
      .onConflictDoUpdate({
        target: [oidcModels.model, oidcModels.id],
        set: {
          payload,
          grantId: values.grantId,
          userCode: values.userCode,
          uid: values.uid,
          accountId: values.accountId,
          expiresAt,
        },
      });
    // Expired rows are dead weight: sweep a few on writes rather than running a timer.
    if (Math.random() < 0.02) {
      await this.database.db.delete(oidcModels).where(lt(oidcModels.expiresAt, new Date()));
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.model === 'Client') {
      const [row] = await this.database.db
        .select()
        .from(clients)
        .where(and(eq(clients.clientId, id), isNull(clients.disabledAt)));
      return row ? thirdPartyClientMetadata(row, this.encryption) : undefined;
    }
    const [row] = await this.database.db
      .select()
      .from(oidcModels)
      .where(and(eq(oidcModels.model, this.model), eq(oidcModels.id, id)));
    return this.live(row);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const [row] = await this.database.db
      .select()
      .from(oidcModels)
      .where(and(eq(oidcModels.model, this.model), eq(oidcModels.userCode, userCode)));
    return this.live(row);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const [row] = await this.database.db
      .select()
      .from(oidcModels)
      .where(and(eq(oidcModels.model, this.model), eq(oidcModels.uid, uid)));
    return this.live(row);
  }

  async consume(id: string): Promise<void> {
    await this.database.db
      .update(oidcModels)
      .set({ consumedAt: new Date() })
      .where(and(eq(oidcModels.model, this.model), eq(oidcModels.id, id)));
  }

  async destroy(id: string): Promise<void> {
    await this.database.db
      .delete(oidcModels)
      .where(and(eq(oidcModels.model, this.model), eq(oidcModels.id, id)));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    // Every artifact of the grant, whatever its model (codes, access and refresh tokens), and the grant.
    await this.database.db
      .delete(oidcModels)
      .where(
        or(eq(oidcModels.grantId, grantId), and(eq(oidcModels.model, 'Grant'), eq(oidcModels.id, grantId))),
      );
  }
}
