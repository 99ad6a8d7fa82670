// Channel nodes for tests on a real chain, and the two-hub network the route tests pay through: the payer
// (Alice) reaches the payee (Carol) through a first hub, the router's choice (its channels are the
// larger), and a second, smaller one. Who funds the first hub's channel to Carol is the test's choice:
// Carol alone (the hub has nothing to send her: a lock fails there with `no_capacity`) or the hub.
import { createChainClient } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { createMetrics, type Metrics } from '@gongxin/telemetry';
import { type ChannelNodeOptions, ChannelNodeRuntime } from '../src';
import type { ChannelTestChain } from './chain';

export type NodeOptions = Omit<Partial<ChannelNodeOptions>, 'database' | 'client' | 'suite' | 'privateKey'>;

export async function until(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  ms = 60_000,
): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Channel nodes in this process, each on its own in-memory database, with its own metrics. */
export class TestNodes {
  readonly nodes: ChannelNodeRuntime[] = [];
  readonly metricsOf = new Map<ChannelNodeRuntime, Metrics>();
  private readonly databases: Database[] = [];

  constructor(readonly chain: ChannelTestChain) {}

  async start(seed: number, opts: NodeOptions = {}): Promise<ChannelNodeRuntime> {
    const database = await openDatabase({ memory: true });
    this.databases.push(database);
    const metrics = opts.metrics ?? createMetrics({ defaultMetrics: false });
    const node = await ChannelNodeRuntime.start({
      database,
      client: createChainClient({ url: this.chain.url, suite: this.chain.suite }),
      suite: this.chain.suite,
      privateKey: this.chain.account(seed).privateKey,
      ...opts,
      metrics,
    });
    this.nodes.push(node);
    this.metricsOf.set(node, metrics as Metrics);
    return node;
  }

  /** An account's address and key, as `open` takes a peer. */
  key(seed: number): { address: string; publicKey: Uint8Array } {
    const account = this.chain.account(seed);
    return { address: account.address, publicKey: account.publicKey };
  }

  async stop(): Promise<void> {
    for (const n of this.nodes.splice(0)) await n.stop();
    for (const d of this.databases.splice(0)) await d.close();
  }
}

/** Both ends' view of a channel's asset (`x`'s, then `y`'s): what each may send, what is locked. */
export function sides(id: string, x: ChannelNodeRuntime, y: ChannelNodeRuntime, asset = 'PTS') {
  return [x, y].map((n) => n.channels().find((c) => c.id === id)!.assets[asset]!);
}

export interface TwoHubs {
  alice: ChannelNodeRuntime;
  first: ChannelNodeRuntime;
  second: ChannelNodeRuntime;
  carol: ChannelNodeRuntime;
  /** Alice → first hub, first hub ↔ Carol, Alice → second hub, second hub → Carol. */
  channels: [string, string, string, string];
}

/**
 * Starts Carol, the two hubs (linked to her) and Alice (linked to both hubs); opens Alice's channels to
 * the hubs (10,000 PTS to the first, 1,000 to the second) and the hubs' to Carol (10,000 PTS funded as
 * `firstToCarol` says, 1,000 from the second hub); resolves once every node knows its channels, the links
 * are up and Alice's graph holds both routes.
 */
export async function startTwoHubs(
  nodes: TestNodes,
  seeds: { alice: number; first: number; second: number; carol: number },
  opts: { firstToCarol: 'carol' | 'hub'; alice?: NodeOptions; first?: NodeOptions },
): Promise<TwoHubs> {
  const carol = await nodes.start(seeds.carol, { port: 0 });
  const carolUrl = `ws://127.0.0.1:${carol.port}`;
  const first = await nodes.start(seeds.first, { port: 0, peers: [carolUrl], ...opts.first });
  const second = await nodes.start(seeds.second, { port: 0, peers: [carolUrl] });
  const alice = await nodes.start(seeds.alice, {
    peers: [`ws://127.0.0.1:${first.port}`, `ws://127.0.0.1:${second.port}`],
    ...opts.alice,
  });
  const big = [{ symbol: 'PTS', amount: 10_000n }];
  const small = [{ symbol: 'PTS', amount: 1_000n }];
  const channels: TwoHubs['channels'] = [
    await alice.open(nodes.key(seeds.first), big),
    opts.firstToCarol === 'carol'
      ? await carol.open(nodes.key(seeds.first), big)
      : await first.open(nodes.key(seeds.carol), big),
    await alice.open(nodes.key(seeds.second), small),
    await second.open(nodes.key(seeds.carol), small),
  ];
  const all = [alice, first, second, carol];
  await until('every node to know every channel', () =>
    channels.every((id) => all.filter((n) => n.channels().some((c) => c.id === id)).length === 2),
  );
  await until('links', () => all.every((n) => n.links.peers().length === 2));
  // Alice's graph follows the chain's events on its own time: both routes must be in it.
  await until(
    'both routes in the graph',
    () =>
      alice.graph.route(alice.address, carol.address, 'PTS', 100n, 4, (e) =>
        e.to === first.address ? 0 : 1,
      ) !== null,
  );
  return { alice, first, second, carol, channels };
}
