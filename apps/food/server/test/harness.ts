// The food app on one HTTP server for tests and the benchmark: a single validator running the core
// contracts and `food` on in-memory PGlite (genesis: the demo organisations with their food roles), the
// node API at /chain, and the food app mounted by app-kit at /food, following the node as in the portal.
import type { AppServices, MountedApp } from '@gongxin/app-kit';
import { startAppHarness } from '@gongxin/app-kit/testing';
import type { Database } from '@gongxin/db';
import type { Action, Value } from '@gongxin/ledger';
import type { ChainNode } from '@gongxin/node';
import { createApiKey } from '../src/api-keys';
import { createFoodApp } from '../src/app';
import { demoOrg, demoOrgAccounts, type OrgAccount } from '../src/orgs';
import type { FoodRuntime } from '../src/runtime';

export interface FoodHarness {
  url: string;
  node: ChainNode;
  database: Database;
  services: AppServices & { close(): void };
  mounted: MountedApp<FoodRuntime>;
  /** The mount's runtime (what procedures get as `ctx.app`). */
  app: FoodRuntime;
  orgs: OrgAccount[];
  org(id: string): OrgAccount;
  /** API keys by organisation id. */
  keys: Record<string, string>;
  /** Signs actions as a demo organisation, waits for the commit and for the food indexer. */
  send(orgId: string, actions: Action[]): Promise<{ ok: boolean; id: string; height: number; code?: string }>;
  /** Signs actions with a private key (hex), as a person's browser keyring does; waits for the indexer. */
  sendAs(
    privateKey: string,
    actions: Action[],
  ): Promise<{ ok: boolean; id: string; height: number; code?: string }>;
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startFoodHarness(
  /** `clock`: the deployment clock (block times and the app's `services.clock`). Default the wall clock. */
  /** `genesis`: sections beyond the food app's own (e.g. passport's demo people with their food roles). */
  opts: {
    database?: Database;
    seedDemo?: boolean;
    clock?: () => number;
    genesis?: Record<string, Value>;
  } = {},
): Promise<FoodHarness> {
  // The chain's genesis is the food app's own contribution: the demo organisations with their roles.
  const h = await startAppHarness(createFoodApp({ seedDemo: opts.seedDemo ?? false }), {
    ...(opts.database && { database: opts.database }),
    ...(opts.clock && { clock: opts.clock }),
    ...(opts.genesis && { genesis: opts.genesis }),
    mountOptions: { rateLimits: { api: false, auth: false }, bodyLimitBytes: 8 * 1024 * 1024 },
  });
  const orgs = demoOrgAccounts(h.suite);
  const keys: Record<string, string> = {};
  for (const org of orgs)
    keys[org.id] = await createApiKey(h.database.db, org.address, 'test', (opts.clock ?? Date.now)());

  return {
    url: h.url,
    node: h.node,
    database: h.database,
    services: h.services,
    mounted: h.mounted,
    app: h.app,
    orgs,
    org: (id) => demoOrg(orgs, id),
    keys,
    send: async (orgId, actions) => (await h.send(demoOrg(orgs, orgId).account, actions)) as never,
    sendAs: async (privateKey, actions) => (await h.send(privateKey, actions)) as never,
    caughtUp: () => h.caughtUp(20_000),
    close: () => h.close(),
  };
}
