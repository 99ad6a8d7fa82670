// What the welfare app keeps per mount: its services, and the demo people's keys when the deployment is
// a demo (the seed signs as the demo staff; people sign their own actions in the browser).
import type { AppServices } from '@gongxin/app-kit';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoPeople, type PersonAccount } from './people';

export class WelfareRuntime {
  readonly people: PersonAccount[];
  constructor(readonly services: AppServices) {
    this.people = services.config.demo ? demoPeople(getSuite(services.chain.suite)) : [];
  }
  /** The secret ID numbers are hashed under (the passport authority's; the suite secret here). */
  get idSecret(): string {
    return this.services.suiteSecret;
  }
}
