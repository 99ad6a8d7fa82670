// The solar app under app-kit's test harness on in-memory PGlite, with its MQTT feed on a broker (the
// embedded one unless a URL is given): one validator whose genesis is the app's demo contribution
// (parties, roles, settlement asset, market configuration).
import { startAppHarness } from '@gongxin/app-kit/testing';
import { startEmbeddedBroker } from '@gongxin/mqtt';
import { createSolarApp } from '../src/app';
import { demoParty, demoPartyAccounts } from '../src/parties';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export async function startSolarHarness(opts: { mqttUrl?: string; clock?: () => number } = {}) {
  const broker = opts.mqttUrl ? null : await startEmbeddedBroker({ logger: silent });
  const mqttUrl = opts.mqttUrl ?? broker!.url;
  const h = await startAppHarness(createSolarApp({ seedDemo: false, aggregateEveryMs: 300 }), {
    mqttUrl,
    ...(opts.clock && { clock: opts.clock }),
  });
  const parties = demoPartyAccounts();
  const party = (id: string) => demoParty(parties, id);
  return Object.assign(h, {
    mqttUrl,
    broker,
    party,
    as: (id: string, actions: Parameters<typeof h.send>[1]) => h.send(party(id).account, actions),
    async closeAll() {
      await h.close();
      await broker?.close();
    },
  });
}

export type SolarHarness = Awaited<ReturnType<typeof startSolarHarness>>;
