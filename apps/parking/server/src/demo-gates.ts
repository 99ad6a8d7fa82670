// The demo's simulated gates (`npm start` with DEMO=true): one lot controller per demo lot, the same
// program as devices/parking-gate with the demo device keys, connected to the suite's broker. Its plate
// reads are signed, buffered on disk and sent over MQTT like a real gate's, so the ingest, the chain and
// the read models see exactly what a lot would send. The operator console's "simulated gate" panel and
// the demo traffic read plates through here. The gate hears of wallet payments from the read models
// (the QR flow) before it decides an exit.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type AppServices, clockOf } from '@gongxin/app-kit';
import { createWallet } from '@gongxin/client';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { type Decision, ParkingGate } from '@gongxin/parking-gate';
import { and, eq } from 'drizzle-orm';
import { sessions } from './db/schema';
import { DEMO_LOTS, DEMO_TARIFF, demoGate } from './demo';
import { demoParty, demoPartyAccounts } from './parties';
import type { ParkingRuntime } from './runtime';

const MIN = 60_000;

export interface GateStatus {
  lot: string;
  gate: string;
  connected: boolean;
  pending: number;
  inside: number;
  free: number;
  lastEvent: { kind: string; plate: string; open: boolean; reason: string; at: number } | null;
}

export class DemoGates {
  readonly gates = new Map<string, ParkingGate>();
  private readonly marked = new Map<string, bigint>();
  private readonly last = new Map<string, GateStatus['lastEvent']>();

  constructor(
    private readonly services: AppServices,
    private readonly runtime: ParkingRuntime,
  ) {}

  /** The deployment clock: gate times are checked against it by the ingest and the chain. */
  private now(): number {
    return clockOf(this.services)();
  }

  async start(): Promise<void> {
    for (const lot of DEMO_LOTS) {
      const dir = path.resolve(this.services.config.dataDir, 'parking-demo-gates', lot.id);
      mkdirSync(dir, { recursive: true });
      const gate = new ParkingGate({
        lot: lot.id,
        gate: 'g1',
        seedHex: demoGate(lot.id).seedHex,
        dir,
        tariff: { version: 1, tariff: DEMO_TARIFF },
        capacity: lot.capacity,
        fixedSpaces: lot.fixedSpaces,
        durable: false,
      });
      this.gates.set(lot.id, gate);
      await gate.connect(this.services.mqttUrl).catch((error) => {
        this.services.logger.warn({ err: error, lot: lot.id }, 'parking demo gate: broker not reached yet');
      });
    }
  }

  status(): GateStatus[] {
    return [...this.gates.entries()].map(([lot, g]) => ({
      lot,
      gate: g.config.gate,
      connected: g.connected,
      pending: g.pending,
      ...g.occupancy(),
      lastEvent: this.last.get(lot) ?? null,
    }));
  }

  /** A plate read at the lot's gate. Before an exit the gate learns what was paid from the wallet. */
  async read(lot: string, kind: 'entry' | 'exit', plate: string, minutesAgo = 0): Promise<Decision | null> {
    const gate = this.gates.get(lot);
    if (!gate) return null;
    if (kind === 'exit') {
      const paid = await this.paidOnChain(lot, plate);
      const already = this.marked.get(`${lot}/${plate}`) ?? 0n;
      if (paid > already && gate.markPaid(plate, paid - already)) this.marked.set(`${lot}/${plate}`, paid);
    }
    const { decision } = gate.read({ kind, plate, time: this.now() - minutesAgo * MIN });
    if (kind === 'exit' && decision.open) this.marked.delete(`${lot}/${plate}`);
    this.last.set(lot, { kind, plate, open: decision.open, reason: decision.reason, at: this.now() });
    return decision;
  }

  private async paidOnChain(lot: string, plate: string): Promise<bigint> {
    const [open] = await this.services.database.db
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.lot, lot),
          eq(sessions.plateHash, this.runtime.plateHash(plate)),
          eq(sessions.status, 'open'),
        ),
      );
    return open?.paidFen ?? 0n;
  }

  /**
   * The demo's morning: cars parked at every lot, and one at the Jinjiang lot that paid from 李娜's
   * wallet and left, so the day has revenue at two operators. Skipped when the gates saw traffic before.
   */
  async traffic(): Promise<void> {
    const { db } = this.services.database;
    if ((await db.select({ id: sessions.id }).from(sessions).limit(1)).length > 0) return;
    // The ingest only takes events of gates the chain knows.
    await this.until(() => DEMO_LOTS.every((l) => this.runtime.gateKeys.has(`${l.id}.g1`)));
    const parked: [string, string, number][] = [
      ['hq-p1', '沪B7M325', 150],
      ['hq-p1', '苏E2Q8K6', 40],
      ['hq-p2', '浙A9C177', 95],
      ['hq-p2', '沪AD30521', 220],
      ['jj-xjh', '沪C66J08', 75],
      ['jj-xjh', '沪AF81920', 130],
    ];
    for (const [lot, plate, ago] of parked) await this.read(lot, 'entry', plate, ago);
    const plate = '沪A3L692';
    await this.read('jj-xjh', 'entry', plate, 100);
    const hash = this.runtime.plateHash(plate);
    const session = await this.until(async () => {
      const [s] = await db.select().from(sessions).where(eq(sessions.plateHash, hash));
      return s;
    });
    const li = demoParty(demoPartyAccounts(getSuite(this.services.chain.suite)), 'li-na');
    const wallet = createWallet(this.services.chain.client, li.account);
    await wallet.send([{ contract: 'parking', name: 'pay', params: { session: session.id } }]);
    await this.until(async () => (await this.paidOnChain('jj-xjh', plate)) > 0n);
    await this.read('jj-xjh', 'exit', plate);
  }

  private async until<T>(fn: () => T | Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      if (Date.now() > end) throw new Error('parking demo: timed out waiting for the chain');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.gates.values()].map((g) => g.close().catch(() => {})));
    this.gates.clear();
  }
}
