// DEMO ONLY. Seeds the embedded suite with the three demo supply chains (demo-chains.ts): master data
// registered on chain by each organisation, their events captured and anchored with their service keys,
// the recall of a lot that failed its inspection, and demo API keys for the capture interface. Idempotent:
// what the chain already has is skipped, events are stored once by hash, and `food.meta` remembers the
// base time so a restart rebuilds exactly the same events.
import { type AppServices, clockOf } from '@gongxin/app-kit';
import { type Account, accountFromPrivateKey, createWallet } from '@gongxin/client';
import { identityKeys } from '@gongxin/contracts';
import { type Action, fromHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import { eq } from 'drizzle-orm';
import { createApiKey } from './api-keys';
import { locations, meta, organisations, orgRoles, products, recalls } from './db/schema';
import { demoChains } from './demo-chains';
import { demoOrg } from './orgs';
import type { FoodRuntime } from './runtime';

/** A passport demo account's key (published: demo only), for the places it registers as itself. */
function passportAccount(services: AppServices, id: string): Account {
  const suite = getSuite(services.chain.suite as Parameters<typeof getSuite>[0]);
  const found = demoAccounts(suite).find((a) => a.id === id);
  if (!found) throw new Error(`food demo: no passport demo account ${id}`);
  return accountFromPrivateKey(suite, fromHex(found.privateKey));
}

/** The demo API key of an organisation (published: demo only). */
export const demoApiKey = (orgId: string) => `gxf_demo_${orgId}`;

async function rolesOnChain(services: AppServices, address: string): Promise<string[]> {
  try {
    const index = (await services.chain.client.state(identityKeys.roles(address))).value as string[] | null;
    return (index ?? []).filter((e) => e.startsWith('food/')).map((e) => e.slice(5));
  } catch {
    return [];
  }
}

export async function seedFoodDemo(
  services: AppServices,
  runtime: FoodRuntime,
): Promise<{ seeded: boolean; events: number }> {
  const { database, logger } = services;
  // Event times on the deployment clock: the chain checks them against its block times.
  const now = clockOf(services);
  const db = database.db;
  const chainId = services.chain.chainId;

  // The organisations' roles from the genesis document (no event announces those).
  let present = 0;
  for (const org of runtime.orgs) {
    const roles = await rolesOnChain(services, org.address);
    await db
      .insert(organisations)
      .values({
        address: org.address,
        name: org.name['zh-CN'],
        kind: org.kind === 'service' ? 'monitor' : 'organisation',
      })
      .onConflictDoNothing();
    for (const role of roles) {
      await db
        .insert(orgRoles)
        .values({ address: org.address, role, source: 'genesis', height: 0 })
        .onConflictDoNothing();
    }
    if (roles.includes(org.role)) present++;
  }
  if (present < runtime.orgs.length) {
    logger.warn(
      { chainId },
      'food demo organisations are not on this chain (it was created without them): no demo data',
    );
    return { seeded: false, events: 0 };
  }

  const [known] = await db.select().from(meta).where(eq(meta.key, 'demo')).limit(1);
  const remembered = known?.value as { chainId?: string; base?: number } | undefined;
  const base =
    remembered?.chainId === chainId && typeof remembered.base === 'number'
      ? remembered.base
      : Math.floor(now() / 86_400_000) * 86_400_000 - 6 * 86_400_000;
  await db
    .insert(meta)
    .values({ key: 'demo', value: { chainId, base } })
    .onConflictDoUpdate({ target: meta.key, set: { value: { chainId, base } } });

  const chains = demoChains(base);
  const byOrg = (id: string) => demoOrg(runtime.orgs, id);

  // Master data, registered by its owner where the chain does not have it yet.
  const haveProducts = new Set((await db.select({ gtin: products.gtin }).from(products)).map((p) => p.gtin));
  const haveLocations = new Set((await db.select({ gln: locations.gln }).from(locations)).map((l) => l.gln));
  const pending = new Map<string, Action[]>();
  const add = (org: string, action: Action) => pending.set(org, [...(pending.get(org) ?? []), action]);
  for (const p of chains.products)
    if (!haveProducts.has(p.gtin))
      add(p.org, {
        contract: 'food',
        name: 'registerProduct',
        params: { gtin: p.gtin, name: p.name, category: p.category },
      });
  for (const l of chains.locations)
    if (!haveLocations.has(l.gln))
      add(l.org, {
        contract: 'food',
        name: 'registerLocation',
        params: { gln: l.gln, name: l.name, lat: Math.round(l.lat * 1e6), lon: Math.round(l.lon * 1e6) },
      });
  await Promise.all(
    [...pending].map(async ([orgId, actions]) => {
      const signer = orgId.startsWith('passport:')
        ? passportAccount(services, orgId.slice('passport:'.length))
        : byOrg(orgId).account;
      const receipt = await createWallet(services.chain.client, signer).send(actions);
      if (!receipt.ok && receipt.code !== 'already_exists')
        logger.warn({ org: orgId, code: receipt.code, message: receipt.message }, 'demo master data refused');
    }),
  );

  for (const org of runtime.orgs) await createApiKey(db, org.address, 'demo', now(), demoApiKey(org.id));

  // Events, in the order the supply chains ran.
  let events = 0;
  for (const capture of chains.captures) {
    const report = await runtime.capture(capture.document, {
      org: byOrg(capture.org).address,
      source: 'demo',
      now: Math.max(now() - 60_000, base),
    });
    events += report.events.length;
  }

  // The regulator recalls the lot that failed its inspection (once).
  const recalled = await db.select({ id: recalls.id, lots: recalls.lots }).from(recalls);
  if (!recalled.some((r) => r.lots.includes(chains.recall.lot))) {
    const receipt = await createWallet(services.chain.client, byOrg('market-regulator').account).send([
      {
        contract: 'food',
        name: 'issueRecall',
        params: { lots: [chains.recall.lot], reason: chains.recall.reason },
      },
    ]);
    if (!receipt.ok) logger.warn({ code: receipt.code, message: receipt.message }, 'demo recall refused');
  }
  logger.info({ events, base: new Date(base).toISOString() }, 'food demo data ready');
  return { seeded: true, events };
}
