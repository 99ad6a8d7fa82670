// Prometheus metrics of a channel node, in the process's registry (@gongxin/telemetry's `createMetrics`):
//
//   gongxin_channel_channels{state}                      gauge: this node's channels, open/closing/settled
//   gongxin_channel_payments_total{outcome, reason}      outgoing payments started, completed and failed
//                                                        (failed by reason code, see `failureCode`), and
//                                                        incoming ones received
//   gongxin_channel_payments_in_flight                   gauge: outgoing payments without an outcome yet
//   gongxin_channel_payment_retries_total{reason}        payments tried again over another route, by the
//                                                        failure that caused them (lock_limit, no_capacity at the
//                                                        first hop; a route failure's code down the route)
//   gongxin_channel_payment_waiting                      gauge: payments a caller of `pay` waits on
//   gongxin_channel_payment_waits_given_up_total         callers answered "still in flight"
//   gongxin_channel_log_writes_total                     durable writes the machine asked for
//   gongxin_channel_log_records_total                    records in them
//   gongxin_channel_log_commits_total{kind}              transactions: writes, height, history
//   gongxin_channel_log_commit_writes                    histogram: writes per group commit
//   gongxin_channel_log_commit_seconds                   histogram: time per transaction
//   gongxin_channel_log_checkpoints_total                checkpoints of the log written
//   gongxin_channel_log_restored_records{from}           gauge: records the node started from, read from
//                                                        its newest `checkpoint` and replayed from the `log`
//                                                        after it
//   gongxin_channel_links                                gauge: authenticated links up (connected peers)
//   gongxin_channel_link_dials                           gauge: addresses the node keeps links to
//   gongxin_channel_link_outbox                          gauge: messages waiting for their peer's link
//   gongxin_channel_links_opened_total, …_link_frames_total{direction}, …_link_outbox_dropped_total
//   gongxin_channel_peer_batches_total{result}           peers' batches accepted or rejected by the machine
//   gongxin_channel_peer_messages_ignored_total          peers' messages for no channel with them
//   gongxin_channel_forwards_refused_total               locks asked to be forwarded, failed upstream at once
//   gongxin_channel_lock_limit_refusals_total            new locks refused: their channel direction held the
//                                                        most pending locks a balance proof may carry
//   gongxin_channel_node_failed                          gauge: 1 once the node stopped on a failed log write
//   gongxin_bad_input_total{source, reason}              shared: source `channel-link` (frames dropped, links
//                                                        refused, by code) and `channel-api` (the HTTP API)
//
// Gauges and the running totals read the node when scraped, so they are never stale; payments, commits,
// waits and bad input are counted as they happen.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CommitInfo } from './log';
import type { ChannelNodeRuntime } from './runtime';

export interface ChannelNodeMetricsOptions {
  registry: Registry;
  /** The process's shared bad-input counter; found in the registry, or made there, when absent. */
  badInput?: Counter<'source' | 'reason'>;
}

export interface ChannelNodeMetrics {
  readonly registry: Registry;
  /** An outgoing payment started or finished, or an incoming one received; `reason` for failures. */
  payment(outcome: 'started' | 'completed' | 'failed' | 'received', reason?: string): void;
  waitGaveUp(): void;
  /** A payment is tried again over another route after its first hop failed it (`reason`: its code). */
  retry(reason: string): void;
  commit(info: CommitInfo): void;
  badInput(source: string, reason: string): void;
  /** Reads the node's state when scraped. */
  watch(node: ChannelNodeRuntime): void;
}

const BAD_INPUT = 'gongxin_bad_input_total';

export function sharedBadInput(
  registry: Registry,
  badInput?: Counter<'source' | 'reason'>,
): Counter<'source' | 'reason'> {
  return (
    badInput ??
    (registry.getSingleMetric(BAD_INPUT) as Counter<'source' | 'reason'> | undefined) ??
    new Counter({
      name: BAD_INPUT,
      help: 'Inputs refused as malformed or invalid, by source and reason',
      labelNames: ['source', 'reason'] as const,
      registers: [registry],
    })
  );
}

export function createChannelNodeMetrics(opts: ChannelNodeMetricsOptions): ChannelNodeMetrics {
  const { registry } = opts;
  const registers = [registry];
  const badInput = sharedBadInput(registry, opts.badInput);
  const payments = new Counter({
    name: 'gongxin_channel_payments_total',
    help: 'Outgoing payments started, completed and failed (by reason code); incoming payments received',
    labelNames: ['outcome', 'reason'] as const,
    registers,
  });
  const givenUp = new Counter({
    name: 'gongxin_channel_payment_waits_given_up_total',
    help: 'Callers of pay answered with the payment still in flight (no outcome by its expiry or the wait limit)',
    registers,
  });
  const retries = new Counter({
    name: 'gongxin_channel_payment_retries_total',
    help: 'Payments tried again over another route, by the failure at their first hop',
    labelNames: ['reason'] as const,
    registers,
  });
  const commitWrites = new Histogram({
    name: 'gongxin_channel_log_commit_writes',
    help: 'Durable writes per group commit (transactions that carried writes)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers,
  });
  const commitSeconds = new Histogram({
    name: 'gongxin_channel_log_commit_seconds',
    help: 'Time per log transaction, from its start to its commit',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  return {
    registry,
    payment(outcome, reason) {
      payments.inc(reason === undefined ? { outcome } : { outcome, reason });
    },
    waitGaveUp: () => givenUp.inc(),
    retry: (reason) => retries.inc({ reason }),
    commit(info) {
      if (info.writes > 0) commitWrites.observe(info.writes);
      commitSeconds.observe(info.seconds);
    },
    badInput: (source, reason) => badInput.inc({ source, reason }),
    watch: (node) => watchNode(node, registers),
  };
}

function watchNode(node: ChannelNodeRuntime, registers: Registry[]): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  /** A counter that follows a running total kept elsewhere: each scrape adds what it grew by. */
  const runningTotal = <L extends string>(
    name: string,
    help: string,
    read: () => readonly [Partial<Record<L, string>>, number][],
    labelNames: readonly L[] = [],
  ) => {
    const counted = new Map<string, number>();
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        for (const [labels, now] of read()) {
          const key = JSON.stringify(labels);
          const before = counted.get(key) ?? 0;
          if (now > before) this.inc(labels, now - before);
          else if (before === 0) this.inc(labels, 0);
          counted.set(key, now);
        }
      },
    });
  };
  new Gauge({
    name: 'gongxin_channel_channels',
    help: "This node's channels by state",
    labelNames: ['state'] as const,
    registers,
    collect() {
      for (const [state, n] of Object.entries(node.channelCounts())) this.set({ state }, n);
    },
  });
  gauge('gongxin_channel_payments_in_flight', 'Outgoing payments without an outcome yet', () =>
    node.inFlightCount(),
  );
  gauge('gongxin_channel_payment_waiting', 'Payments a caller of pay is waiting on', () => node.waiting());
  const log = node.log.counters;
  runningTotal('gongxin_channel_log_writes_total', 'Durable log writes the machine asked for', () => [
    [{}, log.writes],
  ]);
  runningTotal('gongxin_channel_log_records_total', 'Records in the durable log writes', () => [
    [{}, log.records],
  ]);
  runningTotal(
    'gongxin_channel_log_commits_total',
    'Log transactions committed: with writes (group commits), only the chain height, only payment history',
    () => [
      [{ kind: 'writes' }, log.commits],
      [{ kind: 'height' }, log.heightCommits],
      [{ kind: 'history' }, log.historyCommits],
    ],
    ['kind'],
  );
  runningTotal('gongxin_channel_log_checkpoints_total', 'Checkpoints of the log written', () => [
    [{}, log.checkpoints],
  ]);
  new Gauge({
    name: 'gongxin_channel_log_restored_records',
    help: 'Records the node started from: read from its newest checkpoint, and replayed from the log after it',
    labelNames: ['from'] as const,
    registers,
    collect() {
      this.set({ from: 'checkpoint' }, log.restoredFromCheckpoint);
      this.set({ from: 'log' }, log.replayed);
    },
  });
  const links = node.links;
  gauge('gongxin_channel_links', 'Authenticated links up (connected peers)', () => links.peers().length);
  gauge('gongxin_channel_link_dials', 'Link addresses the node keeps links to', () => links.dialing());
  gauge('gongxin_channel_link_outbox', "Messages waiting for their peer's link", () => links.queued());
  runningTotal('gongxin_channel_links_opened_total', 'Links authenticated', () => [
    [{}, links.counters.linksOpened],
  ]);
  runningTotal(
    'gongxin_channel_link_frames_total',
    'Link frames received and sent',
    () => [
      [{ direction: 'in' }, links.counters.framesIn],
      [{ direction: 'out' }, links.counters.framesOut],
    ],
    ['direction'],
  );
  runningTotal('gongxin_channel_link_outbox_dropped_total', 'Messages dropped from a full outbox', () => [
    [{}, links.counters.outboxDropped],
  ]);
  runningTotal(
    'gongxin_channel_peer_batches_total',
    "Peers' batches the machine accepted or rejected",
    () => {
      const m = node.stats().machine;
      return [
        [{ result: 'accepted' }, m.batchesAccepted],
        [{ result: 'rejected' }, m.batchesRejected],
      ];
    },
    ['result'],
  );
  runningTotal(
    'gongxin_channel_peer_messages_ignored_total',
    "Peers' messages for no channel with them",
    () => [[{}, node.stats().machine.messagesIgnored]],
  );
  runningTotal(
    'gongxin_channel_forwards_refused_total',
    'Locks this node was asked to forward and failed upstream at once: no channel to the next hop with the capacity and a free lock slot, or too little time left',
    () => [[{}, node.stats().machine.forwardsRefused]],
  );
  runningTotal(
    'gongxin_channel_lock_limit_refusals_total',
    'New locks refused because their channel direction held the most pending locks a balance proof may carry (own payments and forwards)',
    () => [[{}, node.stats().machine.lockLimitRefusals]],
  );
  gauge(
    'gongxin_channel_node_failed',
    'Whether the node stopped on a failed log write (1) or runs (0)',
    () => (node.counters.fatal ? 1 : 0),
  );
}
