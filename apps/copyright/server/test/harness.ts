// The copyright app on one HTTP server for tests and the benchmark: a single validator running the core
// contracts and `copyright` on in-memory PGlite (genesis: the demo parties with passports, the reviewer's
// role, and a test asset the buyer holds), the node API at /chain, and the app mounted by app-kit at
// /copyright, following the node as in the portal.
import { type AppServices, type MountedApp, mountApp } from '@gongxin/app-kit';
import { startTestChainHost, TEST_SUITE_SECRET, testServices } from '@gongxin/app-kit/testing';
import { createWallet } from '@gongxin/client';
import { copyrightContract, createCoreRegistry } from '@gongxin/contracts';
import { type Database, openDatabase } from '@gongxin/db';
import type { Action, GenesisDocument, Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testValidator } from '@gongxin/ledger/testing';
import type { ChainNode } from '@gongxin/node';
import { createLogger } from '@gongxin/telemetry';
import { createCopyrightApp } from '../src/app';
import { copyrightGenesis, demoParty, demoPartyAccounts, type PartyAccount } from '../src/parties';
import { appRouter } from '../src/router';
import { createCallerFactory } from '../src/trpc';

export const TEST_SYMBOL = 'CNYX';

function withPersons(genesis: Record<string, Value>, addresses: readonly string[]): Record<string, Value> {
  const identity = genesis.identity as { accounts: Value[]; roles: Value[] };
  return {
    ...genesis,
    identity: {
      ...identity,
      accounts: [...identity.accounts, ...addresses.map((address) => ({ address, kind: 'person' }))],
    },
  };
}

export interface CopyrightHarness {
  url: string;
  node: ChainNode;
  database: Database;
  services: AppServices & { close(): void };
  mounted: MountedApp;
  parties: PartyAccount[];
  party(id: string): PartyAccount;
  /** A tRPC caller as an anonymous visitor. */
  caller: ReturnType<typeof appRouter.createCaller>;
  /** Signs actions as a demo party, waits for the commit and for the copyright indexer. */
  send(
    partyId: string,
    actions: Action[],
  ): Promise<{ ok: boolean; id: string; height: number; code?: string; message?: string }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  database?: Database;
  blockLimits?: Record<string, number>;
  /** More people with passports (benchmark senders). */
  extraPersons?: readonly string[];
}

export async function startCopyrightHarness(opts: HarnessOptions = {}): Promise<CopyrightHarness> {
  const suite = getSuite('ed25519-sha256');
  const parties = demoPartyAccounts(suite);
  const validator = testValidator(suite, 1);
  const issuer = demoParty(parties, 'yuntu-media');
  const genesis: GenesisDocument = {
    chainId: 'gongxin-copyright-test',
    suite: suite.id,
    time: Date.now() - 60_000,
    validators: [validator.validator],
    contracts: {
      ...withPersons(copyrightGenesis(parties), opts.extraPersons ?? []),
      assets: {
        assets: [
          {
            symbol: TEST_SYMBOL,
            name: 'Test yuan voucher',
            decimals: 2,
            policy: 'mintable',
            issuer: issuer.address,
            maxSupply: 1_000_000_000n,
            balances: { [demoParty(parties, 'xinghe-press').address]: 10_000_000 },
          },
        ],
      } as unknown as Value,
    },
  };
  const database = opts.database ?? (await openDatabase({ memory: true }));
  const chain = await startTestChainHost({
    database,
    genesis,
    suite,
    validator: validator.account,
    contracts: createCoreRegistry([copyrightContract]),
    ...(opts.blockLimits && { blockLimits: opts.blockLimits }),
  });
  const { node, host, url } = chain;
  // Node's 5 s keep-alive would close sockets the client's pool is about to reuse after a pause (a long
  // set-up step): the request then fails with "other side closed". Keep idle sockets longer than any pause.
  chain.server.keepAliveTimeout = 120_000;
  const services = await testServices({
    database,
    chain: { node, url: `${url}/chain` },
    publicUrl: url,
    issuer: `${url}/passport/oidc`,
    suiteSecret: TEST_SUITE_SECRET,
    logger: createLogger({ name: 'copyright-test', level: 'silent' }),
  });
  const mounted = await mountApp(createCopyrightApp(), services, { rateLimits: { api: false, auth: false } });
  host.use('/copyright', mounted.router);
  const wallets = new Map(parties.map((p) => [p.id, createWallet(services.chain.client, p.account)]));
  const caller = createCallerFactory(appRouter)({
    user: null,
    requestId: 'test',
    logger: services.logger,
    services,
    ip: '127.0.0.1',
  });
  return {
    url,
    node,
    database,
    services,
    mounted,
    parties,
    party: (id) => demoParty(parties, id),
    caller,
    async send(partyId, actions) {
      const receipt = await wallets.get(partyId)!.send(actions);
      await mounted.indexer?.waitFor(receipt.height, 20_000);
      return receipt as never;
    },
    async close() {
      await mounted.close();
      services.close();
      await chain.close();
      await database.close();
    },
  };
}
