// Node health for the members' console: each watched node's /metrics (Prometheus text) is read every few
// seconds and the last samples are kept in memory for the charts: height, peers, round, mempool, commit
// latency and the disk of its data folder. A node that does not answer is a sample saying so, never an
// error for the page. The watcher reads; it never calls a node anything but GET.

export interface WatchedNode {
  name: string;
  /** The node API's base URL (its /metrics and /v1/chain are under it). */
  url: string;
}

export interface NodeSample {
  time: number;
  up: boolean;
  height: number | null;
  peers: number | null;
  round: number | null;
  mempool: number | null;
  commitLatencyMs: number | null;
  diskFreeBytes: number | null;
  diskTotalBytes: number | null;
  error?: string;
}

export interface NodeHealth extends WatchedNode {
  last: NodeSample | null;
  samples: NodeSample[];
}

/** Samples kept per node: 3 minutes at the default interval. */
export const MAX_SAMPLES = 90;
export const WATCH_INTERVAL_MS = 2_000;
/** Long enough for a busy node (a scrape round waits for its slowest node before the next one). */
const SCRAPE_TIMEOUT_MS = 5_000;

/** The unlabelled samples of a Prometheus text exposition (`name value`), by metric name. */
export function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*) (\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) values.set(match[1]!, value);
  }
  return values;
}

export function sampleFromMetrics(text: string, time: number): NodeSample {
  const m = parseMetrics(text);
  const get = (name: string) => m.get(name) ?? null;
  return {
    time,
    up: true,
    height: get('gongxin_chain_height'),
    peers: get('gongxin_peers'),
    round: get('gongxin_consensus_round'),
    mempool: get('gongxin_mempool_size'),
    commitLatencyMs: get('gongxin_commit_latency_last_ms'),
    diskFreeBytes: get('gongxin_disk_free_bytes'),
    diskTotalBytes: get('gongxin_disk_total_bytes'),
  };
}

function down(time: number, error: unknown): NodeSample {
  return {
    time,
    up: false,
    height: null,
    peers: null,
    round: null,
    mempool: null,
    commitLatencyMs: null,
    diskFreeBytes: null,
    diskTotalBytes: null,
    error: error instanceof Error ? error.message : String(error),
  };
}

export class NodeWatcher {
  private readonly series = new Map<string, NodeSample[]>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    readonly nodes: readonly WatchedNode[],
    private readonly opts: { intervalMs?: number; fetch?: typeof fetch; now?: () => number } = {},
  ) {
    for (const n of nodes) this.series.set(n.url, []);
  }

  /** Reads every node once (all at the same time) and records a sample for each. */
  async scrape(): Promise<void> {
    const doFetch = this.opts.fetch ?? fetch;
    const now = this.opts.now ?? Date.now;
    await Promise.all(
      this.nodes.map(async (node) => {
        const time = now();
        let sample: NodeSample;
        try {
          const res = await doFetch(`${node.url}/metrics`, {
            signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
          });
          if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
          sample = sampleFromMetrics(await res.text(), time);
        } catch (error) {
          sample = down(time, error);
        }
        const list = this.series.get(node.url)!;
        list.push(sample);
        if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES);
      }),
    );
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      // One scrape at a time: a slow node delays the next round instead of piling requests up.
      this.running = this.scrape().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.opts.intervalMs ?? WATCH_INTERVAL_MS);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  health(): NodeHealth[] {
    return this.nodes.map((n) => {
      const samples = this.series.get(n.url) ?? [];
      return { ...n, last: samples[samples.length - 1] ?? null, samples: [...samples] };
    });
  }
}
