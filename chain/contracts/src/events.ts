// Every contract's event catalog, the helpers they are written with, and the balance reduction: what
// indexers and decoders import to read events. Also `@gongxin/contracts/events`, which pulls in no contract
// code, no zod and nothing else at run time, so browser bundles (decoder packs) can take it on its own.
import { assetsEvents } from './assets/events';
import type { AnyEventCatalog, EventLike } from './catalog';
import { channelsEvents } from './channels/events';
import { copyrightEvents } from './copyright/events';
import { coreEvents } from './core/events';
import { energyEvents } from './energy/events';
import { foodEvents } from './food/events';
import { governanceEvents } from './governance/events';
import { identityEvents } from './identity/events';
import { notaryEvents } from './notary/events';
import { parkingEvents } from './parking/events';
import { registryEvents } from './registry/events';
import { welfareEvents } from './welfare/events';

export * from './assets/balances';
export { ASSET_POLICIES, assetsEvents, PACKET_SPLITS } from './assets/events';
export * from './catalog';
export { channelsEvents, PROOF_SIDES, SETTLE_MODES } from './channels/events';
export { copyrightEvents, grantAttrs } from './copyright/events';
export { coreEvents } from './core/events';
export { energyEvents } from './energy/events';
export { foodEvents } from './food/events';
export { governanceEvents, PROPOSAL_KINDS } from './governance/events';
export { identityEvents } from './identity/events';
export { notaryEvents } from './notary/events';
export { parkingEvents } from './parking/events';
export { registryEvents } from './registry/events';
export {
  ALERT_KINDS,
  GRIEVANCE_CATEGORIES,
  PAYMENT_OUTCOMES,
  WORKFLOW_STEPS,
  welfareEvents,
} from './welfare/events';

/** The catalogs of every contract the suite's chain runs, and of the ledger's own `core` events. */
export const suiteEventCatalogs: readonly AnyEventCatalog[] = [
  coreEvents,
  governanceEvents,
  identityEvents,
  assetsEvents,
  notaryEvents,
  foodEvents,
  copyrightEvents,
  registryEvents,
  welfareEvents,
  parkingEvents,
  energyEvents,
  channelsEvents,
];

/** The catalog of an event's contract, if the suite has one. */
export function catalogOf(event: Pick<EventLike, 'contract'>): AnyEventCatalog | undefined {
  return suiteEventCatalogs.find((c) => c.contract === event.contract);
}
