// One lot controller lane pair: it reads plates, decides at once whether the barrier opens (from its
// cached tariff, passes, allow- and block-lists and its own session table, never waiting for the chain),
// signs the event with its device key, buffers it on disk and sends it over MQTT with QoS 1 on a
// persistent session, with a retained last will that says it went offline.
import { performance } from 'node:perf_hooks';
import { type PassCover, quote, type Tariff, type VehicleType } from '@gongxin/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { type Buffered, keyOf, OfflineBuffer } from './buffer';
import {
  DEFAULT_SHARDS,
  type Decision,
  type Envelope,
  eventTopic,
  type GateEventBody,
  type GateEventKind,
  privateKeyFromSeed,
  sealEvent,
  statusTopic,
} from './event';
import { type PlateColour, plateKind, samePlate } from './plate';

export interface PlateRead {
  readonly kind: GateEventKind;
  readonly plate: string;
  readonly colour?: PlateColour;
  readonly vehicle?: VehicleType;
  readonly confidence?: number;
  readonly imageHash?: string;
  readonly lane?: string;
  /** Device time; default the gate's clock. */
  readonly time?: number;
}

export interface GateConfig {
  readonly lot: string;
  readonly gate: string;
  /** Ed25519 seed of the device key, 64 hex digits (its public key is registered on chain). */
  readonly seedHex: string;
  /** Where the offline buffer lives. */
  readonly dir: string;
  readonly tariff: { readonly version: number; readonly tariff: Tariff };
  readonly capacity: number;
  /** Spaces held for fixed-pass cars: the free count leaves them out. */
  readonly fixedSpaces?: number;
  readonly passes?: ReadonlyMap<string, PassCover>;
  readonly allow?: ReadonlySet<string>;
  readonly block?: ReadonlySet<string>;
  /** Accept a read differing only in the province character as the same car (one-character tolerance). */
  readonly provinceTolerance?: boolean;
  /** Below this confidence (0–100) a read waits for the booth to confirm. */
  readonly minConfidence?: number;
  readonly shards?: number;
  /** fsync every event (default true; a fleet on one disk may turn it off). */
  readonly durable?: boolean;
  readonly clock?: () => number;
}

interface LocalSession {
  plate: string;
  entry: number;
  vehicle: VehicleType;
  paidFen: bigint;
  paidAt?: number;
}

export interface ReadResult {
  readonly decision: Decision;
  readonly envelope: Envelope;
  /** How long the local decision took, ms. */
  readonly decisionMs: number;
}

export class ParkingGate {
  private readonly key;
  private readonly buffer: OfflineBuffer;
  private readonly sessions = new Map<string, LocalSession>();
  private readonly passCarsInside = new Set<string>();
  private client: MqttClient | null = null;
  private sentThisConnection = new Set<string>();
  private readonly clock: () => number;
  readonly topic: string;
  readonly acked: Buffered[] = [];

  constructor(readonly config: GateConfig) {
    this.key = privateKeyFromSeed(config.seedHex);
    this.buffer = new OfflineBuffer(config.dir, config.durable ?? true);
    this.clock = config.clock ?? Date.now;
    this.topic = eventTopic(config.lot, config.gate, config.shards ?? DEFAULT_SHARDS);
  }

  get epoch(): number {
    return this.buffer.epoch;
  }

  /** Events not yet acknowledged by the broker. */
  get pending(): number {
    return this.buffer.size;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Cars inside as this gate counts them (pass cars excluded), and spaces free for visitors. */
  occupancy(): { inside: number; free: number } {
    const inside = this.sessions.size - this.passCarsInside.size;
    return { inside, free: Math.max(0, this.config.capacity - (this.config.fixedSpaces ?? 0) - inside) };
  }

  /** A payment made (QR in the app, or the booth): the exit window starts now. */
  markPaid(plate: string, fen: bigint, at = this.clock()): boolean {
    const session = this.findSession(plate);
    if (!session) return false;
    session.paidFen += fen;
    session.paidAt = at;
    return true;
  }

  /** What is due at the exit now for a plate inside, from the cached tariff. */
  due(plate: string, at = this.clock()): bigint | null {
    const session = this.findSession(plate);
    if (!session) return null;
    return this.quoteOf(session, at).dueFen;
  }

  private findSession(plate: string): LocalSession | undefined {
    const exact = this.sessions.get(plate);
    if (exact || !this.config.provinceTolerance) return exact;
    for (const s of this.sessions.values()) if (samePlate(s.plate, plate, true)) return s;
    return undefined;
  }

  private quoteOf(session: LocalSession, at: number) {
    const pass = this.config.passes?.get(session.plate);
    return quote(this.config.tariff.tariff, {
      entry: session.entry,
      exit: Math.max(at, session.entry),
      vehicle: session.vehicle,
      ...(pass && { pass }),
      ...(session.paidAt !== undefined && { prepaid: { at: session.paidAt, fen: session.paidFen } }),
    });
  }

  /** The barrier decision, from local state only. Updates the local session table. */
  decide(read: PlateRead, time: number): Decision {
    const { plate } = read;
    const version = this.config.tariff.version;
    if (plateKind(plate) === null) return { open: false, reason: 'unreadable' };
    if ((read.confidence ?? 100) < (this.config.minConfidence ?? 0))
      return { open: false, reason: 'confirm' };
    if (this.config.block?.has(plate)) return { open: false, reason: 'blacklist' };
    const vehicle = read.vehicle ?? 'small';
    if (read.kind === 'entry') {
      const passHolder = this.config.allow?.has(plate) || this.config.passes?.has(plate);
      if (!passHolder && this.occupancy().free === 0) return { open: false, reason: 'full' };
      const existing = this.findSession(plate);
      // An entry while a session is open: the old one ends here (the cloud records it as an orphan).
      if (existing) {
        this.sessions.delete(existing.plate);
        this.passCarsInside.delete(existing.plate);
      }
      this.sessions.set(plate, { plate, entry: time, vehicle, paidFen: 0n });
      if (passHolder) this.passCarsInside.add(plate);
      return {
        open: true,
        reason: passHolder ? 'pass' : existing ? 'reentry' : 'entry',
        tariffVersion: version,
      };
    }
    const session = this.findSession(plate);
    if (this.config.allow?.has(plate)) {
      if (session) this.end(session);
      return { open: true, reason: 'allow', dueFen: '0', tariffVersion: version };
    }
    if (!session) {
      const fee = this.config.tariff.tariff.noEntryFen;
      return { open: fee === 0n, reason: 'noEntry', dueFen: fee.toString(), tariffVersion: version };
    }
    const q = this.quoteOf(session, time);
    if (q.dueFen > 0n)
      return { open: false, reason: 'fee', dueFen: q.dueFen.toString(), tariffVersion: version };
    const reason = this.passCarsInside.has(session.plate) ? 'pass' : session.paidFen > 0n ? 'paid' : 'free';
    this.end(session);
    return { open: true, reason, dueFen: '0', tariffVersion: version };
  }

  private end(session: LocalSession): void {
    this.sessions.delete(session.plate);
    this.passCarsInside.delete(session.plate);
  }

  /** A plate read: decide at once, sign, buffer on disk, send (or keep for later when offline). */
  read(read: PlateRead): ReadResult {
    const started = performance.now();
    const time = read.time ?? this.clock();
    const decision = this.decide(read, time);
    const decisionMs = performance.now() - started;
    const counter = this.buffer.next();
    const body: GateEventBody = {
      v: 1,
      lot: this.config.lot,
      gate: this.config.gate,
      lane: read.lane ?? (read.kind === 'entry' ? 'in-1' : 'out-1'),
      kind: read.kind,
      plate: read.plate,
      colour: read.colour ?? ([...read.plate].length === 8 ? 'green' : 'blue'),
      vehicle: read.vehicle ?? 'small',
      confidence: read.confidence ?? 100,
      imageHash: read.imageHash ?? '0'.repeat(64),
      time,
      epoch: this.buffer.epoch,
      counter,
      decision,
    };
    const envelope = sealEvent(body, this.key);
    const entry: Buffered = { epoch: this.buffer.epoch, counter, topic: this.topic, envelope };
    this.buffer.append(entry);
    if (this.client?.connected) this.send(entry);
    return { decision, envelope, decisionMs };
  }

  private send(entry: Buffered): void {
    const client = this.client;
    const key = keyOf(entry);
    if (!client || this.sentThisConnection.has(key)) return;
    this.sentThisConnection.add(key);
    client.publish(entry.topic, JSON.stringify(entry.envelope), { qos: 1 }, (err) => {
      if (err) {
        this.sentThisConnection.delete(key);
        return;
      }
      this.buffer.ack(key);
      this.acked.push(entry);
    });
  }

  /** Connects with a persistent session and a retained last will; replays what is buffered, in order. */
  async connect(url: string): Promise<void> {
    const id = `${this.config.lot}.${this.config.gate}`;
    const client = mqtt.connect(url, {
      clientId: `gate-${id}`,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      will: {
        topic: statusTopic(this.config.lot, this.config.gate),
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    client.on('connect', () => {
      this.sentThisConnection = new Set();
      client.publish(statusTopic(this.config.lot, this.config.gate), 'online', { qos: 1, retain: true });
      for (const entry of this.buffer.unacked()) this.send(entry);
    });
    client.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gate ${id}: no broker at ${url}`)), 10_000);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves once every buffered event was acknowledged (or the timeout passed). */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.buffer.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return this.buffer.size === 0;
  }

  /** Goes offline (the link drops): events keep being decided and buffered. */
  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true);
  }

  async close(): Promise<void> {
    const client = this.client;
    if (client?.connected) {
      await new Promise<void>((resolve) =>
        client.publish(
          statusTopic(this.config.lot, this.config.gate),
          'offline',
          { qos: 1, retain: true },
          () => resolve(),
        ),
      );
    }
    await this.disconnect();
    this.buffer.close();
  }
}
