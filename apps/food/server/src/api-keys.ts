// API keys of organisations' machine clients (the EPCIS capture interface): `gxf_<random>`, only the
// SHA-256 is stored. Sent as `Authorization: Bearer <key>`.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '@gongxin/db';
import { and, eq, isNull } from 'drizzle-orm';
import { apiKeys } from './db/schema';

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

export async function createApiKey(
  db: Db,
  org: string,
  label: string,
  /** When the key was made, on the deployment clock. */
  createdAt: number,
  key = `gxf_${randomBytes(24).toString('base64url')}`,
): Promise<string> {
  await db
    .insert(apiKeys)
    .values({ hash: digest(key), org, label, prefix: key.slice(0, 8), createdAt })
    .onConflictDoNothing();
  return key;
}

/** The organisation a key acts for; undefined for an unknown or revoked key. */
export async function orgOfApiKey(db: Db, key: string): Promise<string | undefined> {
  const [row] = await db
    .select({ org: apiKeys.org })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, digest(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row?.org;
}
