// What the solar app keeps per mount: the registered meters' keys for the ingest decoder, the anchor
// outbox with the ingester's service key, and the interval aggregation. Built once by the module's setup.
import { type AppServices, clockOf, createOutbox, type Outbox } from '@gongxin/app-kit';
import type { Account } from '@gongxin/client';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { Aggregator } from './aggregate';
import { MeterKeys } from './ingest';
import { demoParty, demoPartyAccounts, demoPartyNames, type PartyName } from './parties';

export class SolarRuntime {
  readonly keys: MeterKeys;
  readonly outbox: Outbox;
  readonly aggregator: Aggregator;
  readonly ingester: string | undefined;
  readonly verified = { batches: 0, readings: 0 };
  /** The deployment clock: intervals, slots and today's curve follow it (block times do too). */
  readonly now: () => number;
  /** Names of the accounts this deployment knows (the demo parties'), by address; empty otherwise. */
  readonly partyNames: ReadonlyMap<string, PartyName>;
  /** The demo's simulated gateways, when the demo seed started them. */
  demoFleet: { stop(): Promise<void> } | undefined;

  constructor(readonly services: AppServices) {
    this.keys = new MeterKeys(services.database);
    this.now = clockOf(services);
    this.partyNames = services.config.demo
      ? demoPartyNames(demoPartyAccounts(getSuite(services.chain.suite)))
      : new Map();
    const signers = new Map<string, Account>();
    const own = services.chain.serviceSigner;
    if (own) signers.set(own.address, own);
    else if (services.config.demo) {
      const ingester = demoParty(demoPartyAccounts(getSuite(services.chain.suite)), 'solar-ingester');
      signers.set(ingester.address, ingester.account);
    }
    this.ingester = [...signers.keys()][0];
    this.outbox = createOutbox({
      name: 'solar',
      database: services.database,
      client: services.chain.client,
      signers,
      logger: services.logger,
    });
    this.aggregator = new Aggregator({
      database: services.database,
      outbox: this.outbox,
      now: this.now,
      ...(this.ingester && { signer: this.ingester }),
    });
  }

  async close(): Promise<void> {
    await this.demoFleet?.stop();
    await this.outbox.stop();
  }
}
