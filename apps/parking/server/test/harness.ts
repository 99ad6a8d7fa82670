// The parking app under app-kit's test harness: one validator on in-memory PGlite (or, with
// TEST_DATABASE_URL, a fresh PostgreSQL database dropped afterwards) whose genesis is the app's demo
// parties and CNYD, an MQTT broker (embedded aedes, or TEST_MQTT_URL such as the real Mosquitto at
// mqtt://127.0.0.1:1883), the app mounted at /parking, and the demo lots seeded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppHarness, TestAccountClaims } from '@gongxin/app-kit/testing';
import { startAppHarness } from '@gongxin/app-kit/testing';
import type { Database } from '@gongxin/db';
import { openFreshPostgres, TEST_DATABASE_URL } from '@gongxin/db/testing';
import { type EmbeddedBroker, startEmbeddedBroker } from '@gongxin/mqtt';
import { ParkingGate } from '@gongxin/parking-gate';
import { createParkingApp } from '../src/app';
import { DEMO_TARIFF, demoGate, seedParkingChain } from '../src/demo';
import { demoParty, demoPartyAccounts, type PartyAccount } from '../src/parties';
import type { appRouter } from '../src/router';
import type { ParkingRuntime } from '../src/runtime';

export type ParkingHarness = AppHarness<typeof appRouter, ParkingRuntime> & {
  parties: PartyAccount[];
  party(id: string): PartyAccount;
  brokerUrl: string;
  gate(lot: string, opts?: Partial<ConstructorParameters<typeof ParkingGate>[0]>): ParkingGate;
  until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
};

/**
 * `clock`: the deployment clock (block times and the app's `services.clock`). Default the wall clock.
 * `testIssuer`: who a sign-in at /parking/auth/login becomes (for tests over HTTP with a session).
 */
export async function startParkingHarness(
  opts: { clock?: () => number; testIssuer?: TestAccountClaims } = {},
): Promise<ParkingHarness> {
  const broker: EmbeddedBroker | null = process.env.TEST_MQTT_URL
    ? null
    : await startEmbeddedBroker({ port: 0 });
  const brokerUrl = process.env.TEST_MQTT_URL ?? broker!.url;
  let database: Database | undefined;
  const adminUrl = process.env[TEST_DATABASE_URL];
  if (adminUrl) database = await openFreshPostgres(adminUrl);
  const parties = demoPartyAccounts();
  // Gate events reach the chain on the ingest's wake alone here (the fallback poll is ten minutes): every
  // test of a gate event shows it.
  const h = await startAppHarness(createParkingApp({ seedDemo: false, processEveryMs: 600_000 }), {
    mqttUrl: brokerUrl,
    ...(database && { database }),
    ...(opts.clock && { clock: opts.clock }),
    ...(opts.testIssuer && { testIssuer: opts.testIssuer }),
  });
  await seedParkingChain(h.services);
  await h.caughtUp();
  const dirs: string[] = [];
  const gates: ParkingGate[] = [];
  const harness = Object.assign(h, {
    parties,
    party: (id: string) => demoParty(parties, id),
    brokerUrl,
    gate(lot: string, opts: Partial<ConstructorParameters<typeof ParkingGate>[0]> = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'parking-server-gate-'));
      dirs.push(dir);
      const gate = new ParkingGate({
        lot,
        gate: 'g1',
        seedHex: demoGate(lot).seedHex,
        dir,
        tariff: { version: 1, tariff: DEMO_TARIFF },
        capacity: 1000,
        durable: false,
        ...opts,
      });
      gates.push(gate);
      return gate;
    },
    async until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const value = await fn();
        if (value !== undefined && value !== false) return value as T;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${await h.diagnose()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await Promise.all(gates.map((g) => g.close().catch(() => {})));
      await h.close();
      if (database) await database.close();
      await broker?.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  });
  return harness;
}
