// Names of the accounts a receipt shows (who paid), so it reads 付款人 张三 with the address beside it:
// governance's name on chain, else on a demo deployment the passport's demo people and this app's
// seeded parties (the operators, the alliance's service, the drivers). An account with neither is shown
// by its address alone.
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
