// Fleet mode: thousands of simulated meters in one process for load tests. Each meter has its own
// device key, plant and buffer; they share a few MQTT connections (a gateway concentrator publishes for
// many meters), and time is simulated, so a day of readings can be sent in seconds.
import { Gateway, MqttPublisher } from './gateway';
import { generateDeviceKey } from './keys';
import { SimulatedPlant } from './simulator';

export interface FleetOptions {
  count: number;
  url: string;
  /** Meter ids are `<prefix>-<n>`, n zero-padded to 4 digits. Default `fleet`. */
  prefix?: string;
  /** Simulated start (true time) and sampling step. */
  start: number;
  stepMs?: number;
  /** MQTT connections shared by the fleet. Default 8. */
  connections?: number;
  /** Readings per batch cut. Default 10. */
  readingsPerBatch?: number;
  clientIdBase?: string;
  seed?: number;
  /** A batch not confirmed by the ingester within this is sent again. Default 10 s. */
  ackTimeoutMs?: number;
}

export class Fleet {
  readonly gateways: Gateway[] = [];
  readonly keys = new Map<string, string>();
  readonly publishers: MqttPublisher[] = [];
  #now: number;
  readonly #o: Required<Omit<FleetOptions, 'seed' | 'ackTimeoutMs'>> & {
    seed: number;
    ackTimeoutMs?: number;
  };

  constructor(o: FleetOptions) {
    this.#o = {
      prefix: 'fleet',
      stepMs: 10_000,
      connections: 8,
      readingsPerBatch: 10,
      clientIdBase: `solar-fleet-${process.pid}`,
      seed: 1,
      ...o,
    };
    this.#now = o.start;
    for (let i = 0; i < o.count; i++) {
      const meter = `${this.#o.prefix}-${String(i).padStart(4, '0')}`;
      const key = generateDeviceKey();
      this.keys.set(meter, key.publicKey);
      const plant = new SimulatedPlant({
        capacityW: 5_000 + ((i * 7919) % 45_000),
        start: o.start,
        seed: this.#o.seed * 100_000 + i,
        lat: 30 + (i % 10) * 0.5,
        lon: 115 + (i % 13) * 0.5,
      });
      this.gateways.push(
        new Gateway({
          meter,
          adapter: plant,
          privateKey: key.privateKey,
          maxBatch: this.#o.readingsPerBatch,
          batchEveryMs: Number.MAX_SAFE_INTEGER,
          window: 4,
          ...(o.ackTimeoutMs !== undefined && { ackTimeoutMs: o.ackTimeoutMs }),
        }),
      );
    }
  }

  /** Opens the connections and subscribes each to the acknowledgements of the meters it publishes for. */
  async connect(): Promise<void> {
    for (let c = 0; c < this.#o.connections; c++) {
      const p = new MqttPublisher({ url: this.#o.url, clientId: `${this.#o.clientIdBase}-${c}` });
      this.publishers.push(p);
    }
    await Promise.all(this.publishers.map((p) => p.waitConnected()));
    await Promise.all(
      this.publishers.map((p, c) =>
        p.confirmFor(this.gateways.filter((_, i) => i % this.publishers.length === c)),
      ),
    );
  }

  /** Advances simulated time by `steps` samples for every meter, cutting full batches as they fill. */
  async advance(steps: number): Promise<void> {
    for (let s = 0; s < steps; s++) {
      this.#now += this.#o.stepMs;
      for (const g of this.gateways) await g.sample(this.#now);
    }
  }

  /** Cuts every meter's open batch. */
  cutAll(): void {
    for (const g of this.gateways) g.cut();
  }

  /**
   * Sends every buffered batch (each meter on its connection); resolves when all are confirmed by the
   * ingester, a connection is down, or a confirmation is overdue (call again to send those again).
   */
  async send(): Promise<void> {
    await Promise.all(this.gateways.map((g, i) => g.send(this.publishers[i % this.publishers.length]!)));
  }

  get buffered(): number {
    return this.gateways.reduce((s, g) => s + g.buffered, 0);
  }

  get readings(): number {
    return this.gateways.reduce((s, g) => s + g.stats.readings, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.publishers.map((p) => p.close()));
  }
}
