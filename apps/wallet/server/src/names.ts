// Names of the accounts the wallet shows beside an address (who sent to, or received from, the signed-in
// account): governance's name on chain, else on a demo deployment the passport's demo people. An account
// with neither shows its address alone; a name never replaces the address.
import { accountNamer } from '@gongxin/app-kit';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';

export const accountNames = accountNamer({
  demo: (suiteId) => demoAccounts(getSuite(suiteId as Parameters<typeof getSuite>[0])),
});
