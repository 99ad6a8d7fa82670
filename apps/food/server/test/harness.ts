// The food app on one HTTP server for tests and the benchmark: a single validator running the core
// contracts and `food` on in-memory PGlite (genesis: the demo organisations with their food roles), the
// node API at /chain, and the food app mounted by app-kit at /food, following the node as in the portal.
import { type AppServices, type MountedApp, mountApp } from '@gongxin/app-kit';
import { startTestChainHost, TEST_SUITE_SECRET, testServices } from '@gongxin/app-kit/testing';
import { createWallet } from '@gongxin/client';
import { createCoreRegistry, foodContract } from '@gongxin/contracts';
import { type Database, openDatabase } from '@gongxin/db';
import type { Action, GenesisDocument } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testValidator } from '@gongxin/ledger/testing';
import type { ChainNode } from '@gongxin/node';
import { createLogger } from '@gongxin/telemetry';
import { createApiKey } from '../src/api-keys';
import { createFoodApp } from '../src/app';
import { demoOrg, demoOrgAccounts, foodGenesis, type OrgAccount } from '../src/orgs';

export interface FoodHarness {
  url: string;
  node: ChainNode;
  database: Database;
  services: AppServices & { close(): void };
  mounted: MountedApp;
  orgs: OrgAccount[];
  org(id: string): OrgAccount;
  /** API keys by organisation id. */
  keys: Record<string, string>;
  /** Signs actions as a demo organisation, waits for the commit and for the food indexer. */
  send(orgId: string, actions: Action[]): Promise<{ ok: boolean; id: string; height: number; code?: string }>;
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startFoodHarness(
  opts: { database?: Database; seedDemo?: boolean } = {},
): Promise<FoodHarness> {
  const suite = getSuite('ed25519-sha256');
  const orgs = demoOrgAccounts(suite);
  const validator = testValidator(suite, 1);
  const genesis: GenesisDocument = {
    chainId: 'gongxin-food-test',
    suite: suite.id,
    time: Date.now() - 60_000,
    validators: [validator.validator],
    contracts: foodGenesis(orgs),
  };
  const database = opts.database ?? (await openDatabase({ memory: true }));
  const chain = await startTestChainHost({
    database,
    genesis,
    suite,
    validator: validator.account,
    contracts: createCoreRegistry([foodContract]),
  });
  const { node, host, url } = chain;
  const services = await testServices({
    database,
    chain: { node, url: `${url}/chain` },
    publicUrl: url,
    issuer: `${url}/passport/oidc`,
    suiteSecret: TEST_SUITE_SECRET,
    logger: createLogger({ name: 'food-test', level: 'silent' }),
  });
  const mounted = await mountApp(createFoodApp({ seedDemo: opts.seedDemo ?? false }), services, {
    rateLimits: { api: false, auth: false },
    bodyLimitBytes: 8 * 1024 * 1024,
  });
  host.use('/food', mounted.router);

  const keys: Record<string, string> = {};
  for (const org of orgs) keys[org.id] = await createApiKey(database.db, org.address, 'test');
  const wallets = new Map(orgs.map((o) => [o.id, createWallet(services.chain.client, o.account)]));
  const caughtUp = async () => mounted.indexer?.waitFor(node.head.height, 20_000);

  return {
    url,
    node,
    database,
    services,
    mounted,
    orgs,
    org: (id) => demoOrg(orgs, id),
    keys,
    async send(orgId, actions) {
      const receipt = await wallets.get(orgId)!.send(actions);
      await mounted.indexer?.waitFor(receipt.height, 20_000);
      return receipt as never;
    },
    caughtUp,
    async close() {
      await mounted.close();
      services.close();
      await chain.close();
      await database.close();
    },
  };
}
