// Prometheus metrics of a node: its height, round, mempool, commits, the bad input its API refused, and
// what its peer network dropped.
// Gauges read the node's stats when scraped, so they are never stale; commits are also observed as they
// happen (onBlock) for the interval histogram. The bad-input counter is the suite's shared
// `gongxin_bad_input_total{source, reason}` (see @gongxin/telemetry): reused when already registered.
import { statfsSync } from 'node:fs';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ChainNode } from '../node';
import { STAGES, type Stage } from '../stages';
import { COMPILED } from '../verify/pool';

export interface NodeMetrics {
  registry: Registry;
  badInput(source: 'trpc' | 'http', reason: string): void;
  /** One answered request: its route (a pattern, never the raw path), status and time taken. */
  request(method: string, route: string, status: number, seconds: number): void;
  close(): void;
}

export interface NodeMetricsOptions {
  registry: Registry;
  /** The shared bad-input counter when the caller already has one (e.g. @gongxin/telemetry's). */
  badInput?: Counter<'source' | 'reason'>;
  /** The node's peer network, when it has one (PeerNetwork has all of this). */
  network?: NetworkMetricsSource;
  /** The node's data folder: the disk it is on is reported (a full disk stops a node before anything else). */
  dataDir?: string;
}

/** What the metrics read off the peer network. */
export interface NetworkMetricsSource {
  peers(): readonly { key: string }[];
  /** Refused links and dropped frames, by reason. */
  readonly counters: Readonly<Record<string, number>>;
  /** Consensus messages re-sent because a height stalled. */
  readonly regossiped: number;
}

export function createNodeMetrics(node: ChainNode, opts: NodeMetricsOptions): NodeMetrics {
  const { registry } = opts;
  const registers = [registry];
  const BAD_INPUT = 'gongxin_bad_input_total';
  const badInput =
    opts.badInput ??
    (registry.getSingleMetric(BAD_INPUT) as Counter<'source' | 'reason'> | undefined) ??
    new Counter({
      name: BAD_INPUT,
      help: 'Inputs refused as malformed or invalid, by source and reason',
      labelNames: ['source', 'reason'] as const,
      registers,
    });

  new Gauge({
    name: 'gongxin_chain_height',
    help: 'Height of the last committed block',
    registers,
    collect() {
      this.set(node.stats.height);
    },
  });
  new Gauge({
    name: 'gongxin_consensus_round',
    help: 'Consensus round of the height in progress',
    registers,
    collect() {
      this.set(node.stats.round);
    },
  });
  new Gauge({
    name: 'gongxin_mempool_size',
    help: 'Transactions waiting in the mempool',
    registers,
    collect() {
      this.set(node.stats.mempoolSize);
    },
  });
  /** A Prometheus counter that follows a running total kept elsewhere: each scrape adds what it grew by. */
  const runningTotal = (name: string, help: string, read: () => number) => {
    let counted = read();
    new Counter({
      name,
      help,
      registers,
      collect() {
        const now = read();
        if (now > counted) this.inc(now - counted);
        counted = now;
      },
    });
  };
  runningTotal(
    'gongxin_committed_txs_total',
    'Transactions committed in blocks since the node started',
    () => node.stats.committedTxs,
  );
  runningTotal(
    'gongxin_bad_messages_total',
    'Messages from peers refused as invalid',
    () => node.stats.badMessages,
  );
  runningTotal(
    'gongxin_node_execution_checked_txs_total',
    'Txs decoded and signature-checked on the consensus thread while executing a block (not admitted here first)',
    () => node.stats.checkedInExecution ?? 0,
  );
  new Gauge({
    name: 'gongxin_commit_latency_last_ms',
    help: 'Time between the last two commits, in ms',
    registers,
    collect() {
      this.set(node.stats.lastCommitLatencyMs);
    },
  });
  const latency = new Histogram({
    name: 'gongxin_commit_latency_ms',
    help: 'Time between consecutive commits, in ms',
    buckets: [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000],
    registers,
  });
  if (opts.network) {
    const network = opts.network;
    new Gauge({
      name: 'gongxin_peers',
      help: 'Connected peers',
      registers,
      collect() {
        this.set(network.peers().length);
      },
    });
    const countedDrops: Record<string, number> = { ...network.counters };
    new Counter({
      name: 'gongxin_p2p_dropped_total',
      help: 'Peer links refused and peer frames dropped, by reason',
      labelNames: ['reason'] as const,
      registers,
      collect() {
        for (const [reason, now] of Object.entries(network.counters)) {
          const before = countedDrops[reason] ?? 0;
          // Every reason is exported, at 0 until it happens, so a rate() over it is defined.
          this.inc({ reason }, Math.max(0, now - before));
          countedDrops[reason] = now;
        }
      },
    });
    runningTotal(
      'gongxin_p2p_regossiped_total',
      'Consensus messages sent again because a height stalled',
      () => network.regossiped,
    );
  }
  if (opts.dataDir) {
    const dataDir = opts.dataDir;
    // statfs is one cheap syscall; a folder that went away reports nothing rather than failing the scrape.
    const disk = () => {
      try {
        const s = statfsSync(dataDir);
        return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
      } catch {
        return null;
      }
    };
    new Gauge({
      name: 'gongxin_disk_free_bytes',
      help: 'Bytes free for the node on the disk of its data folder',
      registers,
      collect() {
        const d = disk();
        if (d) this.set(d.free);
      },
    });
    new Gauge({
      name: 'gongxin_disk_total_bytes',
      help: "Size of the disk of the node's data folder, in bytes",
      registers,
      collect() {
        const d = disk();
        if (d) this.set(d.total);
      },
    });
  }
  const REQUESTS = 'gongxin_chain_api_requests_total';
  const requests =
    (registry.getSingleMetric(REQUESTS) as Counter<'method' | 'route' | 'status'> | undefined) ??
    new Counter({
      name: REQUESTS,
      help: 'Requests the node API answered, by method, route and status (rate and errors)',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    });
  const DURATION = 'gongxin_chain_api_request_duration_seconds';
  const duration =
    (registry.getSingleMetric(DURATION) as Histogram<'method' | 'route'> | undefined) ??
    new Histogram({
      name: DURATION,
      help: 'Time the node API took to answer, by method and route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  new Gauge({
    name: 'gongxin_mempool_future',
    help: 'Transactions waiting behind a nonce gap',
    registers,
    collect() {
      this.set(node.mempool?.stats.future ?? 0);
    },
  });
  runningTotal(
    'gongxin_mempool_evicted_total',
    'Transactions evicted from a full mempool for ones of higher priority',
    () => node.mempool?.stats.evicted ?? 0,
  );
  runningTotal(
    'gongxin_mempool_expired_total',
    'Future transactions dropped because they did not become executable in time',
    () => node.mempool?.stats.expired ?? 0,
  );
  runningTotal(
    'gongxin_signatures_offloaded_total',
    'Transaction signatures verified on the verifier threads (batch admission), off the consensus thread',
    () => node.verifier?.counts.offloaded ?? 0,
  );
  const stageSeconds = new Counter({
    name: 'gongxin_node_stage_seconds_total',
    help: 'CPU time by stage of a tx through this node: admission, verify (verifier threads), execute, store, gossip',
    labelNames: ['stage'] as const,
    registers,
    collect() {
      for (const stage of STAGES) {
        const now =
          stage === 'verify'
            ? (node.verifier?.counts.busyMs ?? 0) / 1000
            : (node.stages?.seconds(stage) ?? 0);
        const before = stagesCounted[stage];
        if (now > before) stageSeconds.inc({ stage }, now - before);
        stagesCounted[stage] = now;
      }
    },
  });
  const stagesCounted: Record<Stage, number> = { admission: 0, verify: 0, execute: 0, store: 0, gossip: 0 };
  new Gauge({
    name: 'gongxin_node_compiled',
    help: '1 when the node runs its compiled JavaScript build, 0 when it runs its TypeScript sources',
    registers,
    collect() {
      this.set(COMPILED ? 1 : 0);
    },
  });
  const unsubscribe = node.onBlock(() => latency.observe(node.stats.lastCommitLatencyMs));

  return {
    registry,
    badInput(source, reason) {
      badInput.inc({ source, reason });
    },
    request(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      // Server-sent event streams stay open for as long as the client listens: not a latency.
      if (!route.includes('onNew')) duration.observe({ method, route }, seconds);
    },
    close: unsubscribe,
  };
}
