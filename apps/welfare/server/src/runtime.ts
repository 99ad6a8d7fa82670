// What the welfare app keeps per mount: its services, and the demo people's keys when the deployment is
// a demo (the seed signs as the demo staff; people sign their own actions in the browser).
import type { AppServices } from '@gongxin/app-kit';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import { demoPeople, type PersonAccount } from './people';

export class WelfareRuntime {
  readonly people: PersonAccount[];
  /** On a demo, the passport's demo accounts (staff sign in with these), by name. */
  readonly passportPeople: readonly { address: string; name: string }[];
  constructor(readonly services: AppServices) {
    const suite = getSuite(services.chain.suite);
    this.people = services.config.demo ? demoPeople(suite) : [];
    this.passportPeople = services.config.demo
      ? demoAccounts(suite).map((a) => ({ address: a.address, name: a.name }))
      : [];
  }
  /** The secret ID numbers are hashed under (the passport authority's; the suite secret here). */
  get idSecret(): string {
    return this.services.suiteSecret;
  }
}
