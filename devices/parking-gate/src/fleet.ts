// Fleet mode: hundreds of lot controllers in one process for load tests. Each gate has its own device
// key (derived from the fleet seed), buffer directory and MQTT connection; cars enter and, after a
// stay, leave (paying at the exit when the cached tariff says so).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Tariff } from '@gongxin/contracts';
import { privateKeyFromSeed, publicKeyHex } from './event';
import { ParkingGate } from './gate';
import { PROVINCES } from './plate';

export interface FleetGate {
  readonly lot: string;
  readonly gate: string;
  readonly seedHex: string;
  readonly publicKey: string;
}

/** The gates of a fleet: lot `lot-<n>` with gate `g1`, keys derived from the fleet seed. */
export function fleetGates(count: number, seed = 'gongxin-parking-fleet'): FleetGate[] {
  return Array.from({ length: count }, (_, i) => {
    const seedHex = createHash('sha256').update(`${seed}/${i}`).digest('hex');
    return { lot: `lot-${i}`, gate: 'g1', seedHex, publicKey: publicKeyHex(privateKeyFromSeed(seedHex)) };
  });
}

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
/** A valid plate for car `n` (every fifth an 8-character new-energy plate). */
export function plateOf(n: number): string {
  const province = [...PROVINCES][n % 31]!;
  const letter = LETTERS[Math.floor(n / 31) % LETTERS.length]!;
  if (n % 5 === 4) return `${province}${letter}D${String(n % 100_000).padStart(5, '0')}`;
  return `${province}${letter}${String(n % 100_000).padStart(5, '0')}`;
}

export interface FleetOptions {
  readonly url: string;
  readonly gates: readonly FleetGate[];
  readonly tariff: { version: number; tariff: Tariff };
  readonly dir: string;
  /** Cars per gate; each makes an entry and an exit event. */
  readonly carsPerGate: number;
  readonly shards?: number;
  readonly durable?: boolean;
}

export interface FleetResult {
  readonly events: number;
  readonly decisionsMs: number[];
  readonly elapsedMs: number;
  readonly unacked: number;
  /** Event hashes by kind, for the consumer to check against. */
  readonly entries: number;
  readonly exits: number;
}

export async function runFleet(
  options: FleetOptions,
): Promise<{ gates: ParkingGate[]; result: FleetResult }> {
  const gates = options.gates.map(
    (g) =>
      new ParkingGate({
        lot: g.lot,
        gate: g.gate,
        seedHex: g.seedHex,
        dir: join(options.dir, `${g.lot}.${g.gate}`),
        tariff: options.tariff,
        capacity: options.carsPerGate + 10,
        shards: options.shards,
        durable: options.durable ?? false,
      }),
  );
  // Connect in small batches: a broker takes hundreds of CONNECTs better in waves.
  for (let i = 0; i < gates.length; i += 50)
    await Promise.all(gates.slice(i, i + 50).map((g) => g.connect(options.url)));
  const decisionsMs: number[] = [];
  let entries = 0;
  let exits = 0;
  const started = Date.now();
  const base = started - 3 * 3_600_000;
  for (let car = 0; car < options.carsPerGate; car++) {
    for (const [i, gate] of gates.entries()) {
      const plate = plateOf(i * options.carsPerGate + car);
      const entry = gate.read({ kind: 'entry', plate, time: base + car * 60_000 });
      decisionsMs.push(entry.decisionMs);
      entries += 1;
      const exitTime = base + car * 60_000 + (20 + (car % 7) * 17) * 60_000;
      const due = gate.due(plate, exitTime) ?? 0n;
      if (due > 0n) gate.markPaid(plate, due, exitTime - 60_000);
      const exit = gate.read({ kind: 'exit', plate, time: exitTime });
      decisionsMs.push(exit.decisionMs);
      exits += 1;
    }
    // Let the sockets breathe between waves.
    await new Promise((r) => setImmediate(r));
  }
  const drained = await Promise.all(gates.map((g) => g.drain(60_000)));
  void drained;
  const unacked = gates.reduce((a, g) => a + g.pending, 0);
  return {
    gates,
    result: {
      events: entries + exits,
      decisionsMs,
      elapsedMs: Date.now() - started,
      unacked,
      entries,
      exits,
    },
  };
}
