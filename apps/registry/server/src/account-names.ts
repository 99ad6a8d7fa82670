// Names of the accounts a registry page shows (the registering authority, a certificate's issuer, a legal
// representative), so a page leads with who acted and keeps the address beside it: a registering
// authority's name as governance records it on chain, else, on a demo deployment, the name of the demo
// party this app seeded or of the passport's demo account (the people one signs in as). An account with
// none of these has no name and the page shows its address alone.
import type { AppServices } from '@gongxin/app-kit';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import { PrefetchedState } from './chain-state';
import { demoPartyAccounts } from './parties';

const authorityKey = (address: string) => `governance/authority/${address}`;

// The demo names by address, once per crypto suite (deriving the keys is not free).
const demoNames = new Map<string, ReadonlyMap<string, string>>();
function demoNamesOf(suiteId: string): ReadonlyMap<string, string> {
  let names = demoNames.get(suiteId);
  if (!names) {
    const suite = getSuite(suiteId as Parameters<typeof getSuite>[0]);
    names = new Map([
      ...demoAccounts(suite).map((a) => [a.address, a.name] as const),
      ...demoPartyAccounts(suite).map((p) => [p.address, p.name] as const),
    ]);
    demoNames.set(suiteId, names);
  }
  return names;
}

/** Each of `addresses` that has a name, by address. */
export async function accountNames(
  services: AppServices,
  addresses: readonly string[],
  state: PrefetchedState = new PrefetchedState(services),
): Promise<Record<string, string>> {
  const wanted = [...new Set(addresses.filter((a) => a.length > 0))];
  await state.load(wanted.map(authorityKey));
  const demo = services.config.demo ? demoNamesOf(services.chain.suite) : new Map<string, string>();
  const names: Record<string, string> = {};
  for (const address of wanted) {
    const authority = state.get(authorityKey(address)) as { name?: unknown } | undefined;
    const name = typeof authority?.name === 'string' && authority.name ? authority.name : demo.get(address);
    if (name) names[address] = name;
  }
  return names;
}
