// The registry app under app-kit's test harness: one validator on in-memory PGlite whose genesis is the
// app's own contribution (authority, certifying body, representatives with passports) plus the published
// working-day calendars, the app mounted at /registry as in the portal. Sends are made as the demo parties.
import { type AppHarness, startAppHarness } from '@gongxin/app-kit/testing';
import { withChinaCalendars } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import type { Action, Value } from '@gongxin/ledger';
import { createRegistryApp, type RegistryAppOptions } from '../src/app';
import { demoParty, demoPartyAccounts, type PartyAccount } from '../src/parties';
import type { appRouter } from '../src/router';
import type { RegistryRuntime } from '../src/runtime';

export type RegistryHarness = AppHarness<typeof appRouter, RegistryRuntime> & {
  parties: PartyAccount[];
  party(id: string): PartyAccount;
  anonymous: ReturnType<(typeof appRouter)['createCaller']>;
  as(partyId: string, actions: Action[]): ReturnType<AppHarness<typeof appRouter, RegistryRuntime>['send']>;
};

export async function startRegistryHarness(
  opts: RegistryAppOptions = {},
  chain: { clock?: () => number; database?: Database; genesis?: Record<string, Value> } = {},
): Promise<RegistryHarness> {
  const parties = demoPartyAccounts();
  const party = (id: string) => demoParty(parties, id);
  const h = await startAppHarness(createRegistryApp({ seedDemo: false, sweep: false, ...opts }), {
    genesis: withChinaCalendars(chain.genesis ?? {}),
    ...(chain.database && { database: chain.database }),
    ...(chain.clock && { clock: chain.clock }),
  });
  return Object.assign(h, {
    parties,
    party,
    anonymous: h.caller(null),
    as: (partyId: string, actions: Action[]) => h.send(party(partyId).account, actions),
  });
}
