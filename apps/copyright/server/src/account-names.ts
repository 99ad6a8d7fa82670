// Names of the owners a work's page shows, so the register reads as the certificate does (著作权人 by name,
// the address beside it): governance's name on chain, else on a demo deployment the passport's demo
// people and this app's seeded parties. An owner with neither is shown by address alone.
import { accountNamer } from '@gongxin/app-kit';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import { demoPartyAccounts } from './parties';

export const accountNames = accountNamer({
  demo: (suiteId) => {
    const suite = getSuite(suiteId as Parameters<typeof getSuite>[0]);
    return [
      ...demoAccounts(suite),
      ...demoPartyAccounts(suite).map((p) => ({ address: p.address, name: p.name['zh-CN'] })),
    ];
  },
});
