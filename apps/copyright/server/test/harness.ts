// The copyright app under app-kit's test harness (startAppHarness): one validator on in-memory PGlite
// whose genesis is the app's own contribution (the demo parties with passports, the reviewer's role)
// merged with a test asset the buyer holds and any extra people (benchmark senders), the node API at
// /chain and the app mounted at /copyright as in the portal. Sends are made as the demo parties.
import type { AppHarness } from '@gongxin/app-kit/testing';
import { startAppHarness } from '@gongxin/app-kit/testing';
import type { Database } from '@gongxin/db';
import type { Action, Value } from '@gongxin/ledger';
import { createCopyrightApp } from '../src/app';
import { demoParty, demoPartyAccounts, type PartyAccount } from '../src/parties';
import type { appRouter } from '../src/router';
import type { CopyrightRuntime } from '../src/runtime';

export const TEST_SYMBOL = 'CNYX';

export interface HarnessOptions {
  /** Default: in-memory PGlite, closed with the harness; a given database is left open. */
  database?: Database;
  /** Seed the demo works at start-up. Default false. */
  seedDemo?: boolean;
  /** More people with passports (benchmark senders). */
  extraPersons?: readonly string[];
  /** The deployment clock (block times and the app's `services.clock`). Default the wall clock. */
  clock?: () => number;
}

export type CopyrightHarness = AppHarness<typeof appRouter, CopyrightRuntime> & {
  parties: PartyAccount[];
  party(id: string): PartyAccount;
  /** The procedures as an anonymous visitor. */
  anonymous: ReturnType<(typeof appRouter)['createCaller']>;
  /** Signs as a demo party, waits for the commit and for the copyright indexer. */
  as(partyId: string, actions: Action[]): ReturnType<AppHarness<typeof appRouter, CopyrightRuntime>['send']>;
};

export async function startCopyrightHarness(opts: HarnessOptions = {}): Promise<CopyrightHarness> {
  const parties = demoPartyAccounts();
  const party = (id: string) => demoParty(parties, id);
  const h = await startAppHarness(createCopyrightApp({ seedDemo: opts.seedDemo ?? false }), {
    ...(opts.database && { database: opts.database }),
    ...(opts.clock && { clock: opts.clock }),
    genesis: {
      identity: { accounts: (opts.extraPersons ?? []).map((address) => ({ address, kind: 'person' })) },
      assets: {
        assets: [
          {
            symbol: TEST_SYMBOL,
            name: 'Test yuan voucher',
            decimals: 2,
            policy: 'mintable',
            issuer: party('yuntu-media').address,
            maxSupply: 1_000_000_000n,
            balances: { [party('xinghe-press').address]: 10_000_000 },
          },
        ],
      } as unknown as Value,
    },
  });
  return Object.assign(h, {
    parties,
    party,
    anonymous: h.caller(null),
    as: (partyId: string, actions: Action[]) => h.send(party(partyId).account, actions),
  });
}
