// Names of the accounts a registry page shows (the registering authority, a certificate's issuer, a legal
// representative): governance's name on chain, else on a demo deployment the name of the demo party this
// app seeded or of the passport's demo account (the people one signs in as).
import { type AppServices, accountNamer } from '@gongxin/app-kit';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import { PrefetchedState } from './chain-state';
import { demoPartyAccounts } from './parties';

const namer = accountNamer({
  demo: (suiteId) => {
    const suite = getSuite(suiteId as Parameters<typeof getSuite>[0]);
    return [...demoAccounts(suite), ...demoPartyAccounts(suite)];
  },
});

/** Each of `addresses` that has a name, by address. */
export function accountNames(
  services: AppServices,
  addresses: readonly string[],
  state: PrefetchedState = new PrefetchedState(services),
): Promise<Record<string, string>> {
  return namer(services, addresses, async (keys) => {
    await state.load(keys);
    return (key) => state.get(key);
  });
}
