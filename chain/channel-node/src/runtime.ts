// The channel node: the pure machine of @gongxin/channels run with real I/O. Inputs (payments asked for,
// peers' messages, chain events, the clock) go into the machine one at a time; its effects come out in
// order and are carried out here:
//   - persist: appended to the durable log, which commits writes in groups (one transaction for all the
//     writes asked for while the previous one was committing); the machine hears `persisted` only after
//     the commit, so nothing it holds back for durability (a signed batch, an acknowledgement) leaves
//     earlier;
//   - send: over the authenticated link to the peer (queued while the link is down; the machine sends an
//     unacknowledged batch again on its own);
//   - chain: signed with the node's account and submitted through the client SDK.
// Chain events come back through the SDK: channels opened or topped up (read from chain state), closes,
// settlements, preimages revealed. The node also settles its closing channels once the chain allows it.
//
// A node restarts from its log alone (`ChannelNodeRuntime.start` on the same database): the machine
// rebuilds its channels and proofs from the records, sends its last signed batch again, and the chain
// events since the height the log reached are read again.

import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import {
  ChannelGraph,
  ChannelNode,
  DEFAULT_FAILURE_MEMORY_MS,
  type DurableRecord,
  type Effect,
  LOCK_LIMIT,
  MissionControl,
  NOT_RETRYABLE,
  NOT_SENT,
  type NodeConfig,
  type Outcome,
  PAYMENT_ID_WINDOW_MS,
  type PaymentPlan,
  ROUTE_FAILURE,
  type RouteFailure,
} from '@gongxin/channels';
import type { ChainClient, EventJson } from '@gongxin/client';
import { hashlockOf, type SignedBalanceProof } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import { addressFromPublicKey, type CryptoSuite, toHex } from '@gongxin/ledger';
import { ChainBridge, type ChainChannel, machineEventOf } from './chain';
import { LinkManager } from './links';
import { ChannelLog, type PaymentRow } from './log';
import { type ChannelNodeMetrics, type ChannelNodeMetricsOptions, createChannelNodeMetrics } from './metrics';
import { WatchHandoff } from './watch';

export interface ChannelNodeOptions {
  database: Database;
  client: ChainClient;
  suite: CryptoSuite;
  privateKey: Uint8Array;
  /** Accept links on this port (0: any free one); none when absent (a node that only dials out). */
  port?: number;
  host?: string;
  /** Accept links on this HTTP server at this path instead (a node inside a larger service). */
  server?: { http: Server; path: string };
  /** Peers' link addresses (ws://host:port) to keep links to. */
  peers?: readonly string[];
  /** Clock tick of the machine, ms. Default 20. */
  tickMs?: number;
  /** Machine settings; defaults suit dispute windows up to `hopDeltaMs - 2 × revealMarginMs`. */
  machine?: Partial<Omit<NodeConfig, 'suite' | 'chainId' | 'privateKey'>>;
  onProblem?: (problem: string) => void;
  /**
   * How many finished payments the node keeps in memory (the newest); older ones are read from its log
   * when asked for. Default 200.
   */
  recentPayments?: number;
  /** The node stopped because its log failed; a process should exit and start again from its log. */
  onFatal?: (why: string) => void;
  /**
   * The longest a caller of `pay` waits for the payment's outcome, ms; a hash-locked payment's caller
   * waits no longer than its lock's expiry. After that `pay` answers with the payment still in flight.
   * Default 30,000.
   */
  payWaitMs?: number;
  /**
   * The most payments this node keeps in flight to one peer (its first hop): beyond it `pay` is refused
   * at once (`peer_busy`) until some of them complete or fail, so a peer that never answers holds at
   * most this many. Payments recovered from the log at start-up count too. A positive integer; default
   * 1,000.
   */
  maxInFlightPerPeer?: number;
  /**
   * The most routes one payment is tried over: when its first hop cannot take it (`lock_limit`: every
   * channel to it holds the most pending locks a proof carries; `no capacity`), or its lock fails further
   * down the route (the failing node says which hop and why, signed), the node remembers the failed hop
   * and tries the payment again, same id, over a route without it (after a failure down the route: once
   * the failed lock is taken back, as the payment's next attempt with the same hashlock), while its lock
   * would still expire within the payment's expiry budget (MAX_HOPS × `hopDeltaMs` from when it was
   * asked). A positive integer; default 3.
   */
  payAttempts?: number;
  /**
   * How long the router remembers a hop a payment failed at, and prefers routes around it, ms (LND's
   * mission control). Default 60,000.
   */
  failureMemoryMs?: number;
  /**
   * The process's metrics registry (@gongxin/telemetry's `createMetrics()`): the node's metrics go there
   * (see metrics.ts), and bad input from its links into the shared bad-input counter. One node per registry.
   */
  metrics?: ChannelNodeMetricsOptions;
  /** Holds every log commit open this long (a slow disk), for crash tests. Default 0. */
  commitDelayMs?: number;
  /**
   * The log writes a checkpoint of the node's channels after this many records (and at least as many
   * bytes as its previous checkpoint took); a restart reads the newest checkpoint and only the records
   * after it (see log.ts). A positive integer; default 10,000.
   */
  checkpointRecords?: number;
  /**
   * A hub: when someone opens a channel to this node, it deposits as much as they did in each asset (up
   * to `maxDeposit`), so payments can flow both ways through it at once.
   */
  hub?: { maxDeposit: bigint };
  /**
   * A watcher service's address (`gongxin-channels watch`): the node hands it the newest proof of each
   * peer's payments and the preimages it releases, so it defends this node's channels while it is offline.
   */
  watcher?: string;
}

/** Default of `payWaitMs`. */
export const DEFAULT_PAY_WAIT_MS = 30_000;

/** Default of `maxInFlightPerPeer`. */
export const DEFAULT_MAX_IN_FLIGHT_PER_PEER = 1_000;

/** Default of `payAttempts`. */
export const DEFAULT_PAY_ATTEMPTS = 3;

/** The longest `failureMemoryMs` may be: a day (a failure older than that says nothing of the channel now). */
export const MAX_FAILURE_MEMORY_MS = 24 * 3600_000;

/** The most channels a route takes. */
export const MAX_HOPS = 4;

/** Failures at a payment's first hop that another route may avoid (the machine tried every channel to it). */
const RETRYABLE = new Set<string>([LOCK_LIMIT, 'no capacity']);

/** A payment id: what a caller may give `pay` to make a retry safe (the same id is never paid twice). */
export const PAYMENT_ID = /^[0-9A-Za-z_-]{8,64}$/;

export const DEFAULT_MACHINE = {
  maxBatch: 256,
  retransmitMs: 1_000,
  revealMarginMs: 2_000,
  hopDeltaMs: 10_000,
} as const;

export interface PaymentView {
  readonly id: string;
  readonly asset: string;
  readonly amount: bigint;
  readonly direction: 'out' | 'in';
  readonly outcome: Outcome;
  readonly hops?: number;
  /** An outgoing payment's first hop: the peer its channel goes to. */
  readonly peer?: string;
  /** Its route, the payee last (as far as the node knows it: a payment recovered from the log may lack it). */
  readonly route?: readonly string[];
  /** A hash-locked payment's lock expiry (ms), when known: for those recovered from the log at start-up. */
  readonly expiry?: number;
  readonly reason?: string;
  readonly at: number;
  /** A finished payment's place in the node's history (newest highest); absent while in flight. */
  readonly seq?: number;
}

/** A page of the node's payments, newest first; `next` pages on to older ones when there are any. */
export interface PaymentPage {
  readonly payments: PaymentView[];
  readonly next?: number;
}

/** Outcomes that end a payment. */
type Final = PaymentRow['outcome'];

/** The chain refused a transaction the node sent for its person: `code` is the chain's rejection code. */
export class ChainRefused extends Error {
  constructor(
    readonly action: string,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${action} refused: ${code}: ${detail}`);
  }
}

/**
 * A payment refused before anything was done for it: its id is malformed (`bad_id`), or a payment with
 * that id is in flight or finished within the payment id window (`duplicate_id`), or the node has
 * stopped (`stopped`), or it already has `maxInFlightPerPeer` payments in flight to the payment's first
 * hop (`peer_busy`: `peer` and `max` say which and how many).
 */
export class PaymentRefused extends Error {
  constructor(
    readonly code: 'bad_id' | 'duplicate_id' | 'stopped' | 'peer_busy',
    readonly id: string,
    message: string,
    readonly busy?: { readonly peer: string; readonly max: number },
  ) {
    super(message);
  }
}

/**
 * A payment failure's reason as a short stable code (metrics label it by this; the reason text may carry
 * numbers). A failure without a reason is a lock the next hop removed (failed downstream or expired).
 */
export function failureCode(reason: string | undefined): string {
  if (reason === undefined) return 'lock_removed';
  const known: Record<string, string> = {
    'no route': 'no_route',
    'no capacity': 'no_capacity',
    'channel closed': 'channel_closed',
    'settled on chain': 'settled_on_chain',
    'duplicate id': 'duplicate_id',
    'bad request': 'bad_request',
    'request time is in the future': 'request_in_future',
    'a routed payment needs a hashlock': 'no_hashlock',
    [NOT_SENT]: 'not_sent',
    [LOCK_LIMIT]: 'lock_limit',
  };
  if (known[reason]) return known[reason];
  if (reason.startsWith('amount out of range')) return 'amount_too_large';
  if (reason.startsWith('request too old')) return 'request_too_old';
  // A lock that failed on its route, at a hop its failing node named: the reason code it gave.
  if (reason.startsWith(ROUTE_FAILURE)) return reason.slice(ROUTE_FAILURE.length).split(' ')[0]!;
  return 'other';
}

/** A request that names a channel this node does not have, or one no longer open. */
export class ChannelUnknown extends Error {
  constructor(
    readonly channel: string,
    readonly status?: string,
  ) {
    super(status === undefined ? `unknown channel ${channel}` : `channel ${channel} is ${status}`);
  }
}

/** One side's newest signed state in one asset of a channel, as this node's log holds it. */
export interface SideView {
  readonly nonce: number;
  readonly transferred: bigint;
  readonly locked: bigint;
}

export interface ChannelView {
  readonly id: string;
  readonly peer: string;
  readonly side: 'a' | 'b';
  readonly status: string;
  /** A cooperative close is under way: no new payment takes the channel; both sign the final amounts. */
  readonly closingTogether?: true;
  readonly disputeMs: number;
  readonly assets: {
    readonly [symbol: string]: {
      readonly deposit: bigint;
      readonly peerDeposit: bigint;
      /** What this node may still send. */
      readonly available: bigint;
      /** This node's payments to the peer (its newest signed proof). */
      readonly out: SideView;
      /** The peer's payments to this node (the newest proof it countersigned). */
      readonly in: SideView;
      /** The signed proofs themselves, for anyone to check: this node's, and the peer's it countersigned. */
      readonly proofs: {
        readonly out?: SignedBalanceProof;
        readonly in?: SignedBalanceProof & { readonly countersignature: Uint8Array };
      };
    };
  };
  /** The parties' keys (the contract's aKey and bKey). */
  readonly keys: { readonly mine: Uint8Array; readonly peer: Uint8Array };
  /**
   * A settled channel's closing tx: the one whose `settled` event the node saw on chain (a cooperative
   * close, or `settle` after the dispute window), and the height of its block.
   */
  readonly closeTx?: { readonly id: string; readonly height: number };
}

export interface Invoice {
  readonly payee: string;
  readonly asset: string;
  readonly amount: bigint;
  readonly hashlock: string;
}

/** `gongxin-channel:<payee>?asset=…&amount=…&hashlock=…`: what a payer needs to pay through the network. */
export function formatInvoice(i: Invoice): string {
  return `gongxin-channel:${i.payee}?asset=${i.asset}&amount=${i.amount}&hashlock=${i.hashlock}`;
}

export function parseInvoice(text: string): Invoice {
  const m = /^gongxin-channel:([^?]+)\?(.*)$/.exec(text.trim());
  if (!m) throw new Error('not a channel invoice (gongxin-channel:<payee>?asset=…&amount=…&hashlock=…)');
  const q = new URLSearchParams(m[2]);
  const asset = q.get('asset') ?? '';
  const amount = q.get('amount') ?? '';
  const hashlock = (q.get('hashlock') ?? '').toLowerCase();
  if (!/^[A-Z][A-Z0-9]{1,9}$/.test(asset)) throw new Error('invoice: bad asset');
  if (!/^[1-9]\d{0,19}$/.test(amount)) throw new Error('invoice: bad amount');
  if (!/^[0-9a-f]{64}$/.test(hashlock)) throw new Error('invoice: bad hashlock');
  return { payee: m[1]!, asset, amount: BigInt(amount), hashlock };
}

export interface RuntimeCounters {
  inputs: number;
  effects: number;
  fatal: string | null;
  /** Callers of `pay` answered with the payment still in flight (no outcome by its expiry or `payWaitMs`). */
  waitsGivenUp: number;
  /** Payments refused because their first hop had `maxInFlightPerPeer` in flight (`peer_busy`). */
  peerBusy: number;
  /** Payments in flight when the node started, recovered from its log. */
  recoveredInFlight: number;
  /** Payments tried again over another route after their first hop could not take them. */
  retries: number;
  /** Retries that waited for the route map to catch up with the chain after a start. */
  retriesHeld: number;
  /** New payments that found no route before the route map caught up after a start, and waited for it. */
  paymentsHeld: number;
}

/**
 * A payment that may be tried again over another route: what it asked for and what it has tried. Each
 * attempt's record in the log carries it (as the payment's plan), so a restarted node goes on with it.
 */
interface Attempts {
  readonly req: { payee: string; asset: string; amount: bigint; hashlock?: string };
  /** Routes tried so far. */
  tried: number;
  /**
   * Hops (`from/to`) that failed it, never taken again for this payment: its first hops that could not
   * take it (from this node), and those further down its locks failed at.
   */
  readonly failedPairs: Set<string>;
  /** The attempt of its latest lock (the machine takes the next only once this one failed). */
  attempt: number;
  /** The latest a retry's lock may expire: MAX_HOPS × hopDeltaMs after the payment was asked for. */
  readonly expiryBudget: number;
}

/**
 * A caller of `pay` waiting for the payment's outcome, until its timer gives up: then it hears that the
 * payment is under way, but never before the payment's record is durable (`recorded`).
 */
interface Waiter {
  readonly resolve: (p: PaymentView) => void;
  readonly reject: (error: PaymentRefused) => void;
  readonly timer: NodeJS.Timeout;
  /** The payment as it started. */
  readonly view: PaymentView;
  /** The write holding the payment's record is durable. */
  recorded: boolean;
  /** The wait is over: the caller hears the payment as it stands once it is recorded. */
  due: boolean;
}

export class ChannelNodeRuntime {
  readonly address: string;
  readonly publicKey: Uint8Array;
  readonly graph = new ChannelGraph();
  readonly counters: RuntimeCounters = {
    inputs: 0,
    effects: 0,
    fatal: null,
    waitsGivenUp: 0,
    peerBusy: 0,
    recoveredInFlight: 0,
    retries: 0,
    retriesHeld: 0,
    paymentsHeld: 0,
  };
  /** Hops payments failed at recently: routes go around them for a while. */
  readonly missionControl: MissionControl;
  /** The port links are accepted on (when listening). */
  port: number | null = null;
  private machine!: ChannelNode;
  private readonly sides = new Map<
    string,
    { out: SideView; in: SideView; proofs: ChannelView['assets'][string]['proofs'] }
  >();
  private readonly infos = new Map<string, DurableRecord & { t: 'channel' }>();
  /** The tx that settled each of this node's settled channels, from the chain's events (read again at start). */
  private readonly closeTxs = new Map<string, { id: string; height: number }>();
  /** Payments on their way (outgoing, not yet completed or failed). */
  private readonly inFlight = new Map<string, PaymentView>();
  /** How many of them go to each peer (their first hop): `maxInFlightPerPeer` bounds it. */
  private readonly inFlightByPeer = new Map<string, number>();
  /** The newest finished payments, oldest first, at most `recentPayments`; the log holds them all. */
  private readonly recent: (PaymentView & { seq: number })[] = [];
  private nextSeq = 1;
  /**
   * The caller waiting for each payment's outcome, by payment id (one: a repeated id is refused); each
   * gives up on its own (see `pay`).
   */
  private readonly waiters = new Map<string, Waiter>();
  /** Hash-locked payments of this process in flight that may still take another route, by id. */
  private readonly attempts = new Map<string, Attempts>();
  /** Retries waiting for the route map to catch up with the chain (after a start), by payment id. */
  private readonly heldRetries = new Map<string, { timer: NodeJS.Timeout; go: () => void }>();
  /** The attempt in flight of payments recovered from the log without a plan (by id). */
  private readonly recoveredAttempts = new Map<string, number>();
  /**
   * Payments recovered in flight whose outcome (for that attempt) the history holds already, by id: the
   * batch sent again at start-up reports it once more, and that report is dropped.
   */
  private readonly alreadyFinished = new Set<string>();
  private readonly settling = new Map<string, number>();
  private tickTimer: NodeJS.Timeout | null = null;
  private keeperTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private handoff: WatchHandoff | null = null;
  /** The chain id this node runs on. */
  readonly chainId: string;

  /** The chain's crypto suite. */
  get suiteId(): string {
    return this.opts.suite.id;
  }

  private constructor(
    private readonly opts: ChannelNodeOptions,
    private readonly metrics: ChannelNodeMetrics | null,
    readonly log: ChannelLog,
    readonly links: LinkManager,
    readonly chain: ChainBridge,
    chainId: string,
  ) {
    this.publicKey = opts.suite.publicKeyFromPrivate(opts.privateKey);
    this.address = addressFromPublicKey(opts.suite, this.publicKey);
    this.chainId = chainId;
    this.missionControl = new MissionControl(opts.failureMemoryMs ?? DEFAULT_FAILURE_MEMORY_MS);
  }

  static async start(opts: ChannelNodeOptions): Promise<ChannelNodeRuntime> {
    checkOptions(opts);
    const problem = opts.onProblem ?? (() => {});
    const { chainId } = await opts.client.identity();
    const address = addressFromPublicKey(opts.suite, opts.suite.publicKeyFromPrivate(opts.privateKey));
    const metrics = opts.metrics ? createChannelNodeMetrics(opts.metrics) : null;
    const log = await ChannelLog.open(opts.database, address, {
      commitDelayMs: opts.commitDelayMs ?? 0,
      ...(opts.checkpointRecords !== undefined && { checkpointRecords: opts.checkpointRecords }),
      ...(opts.machine?.paymentIdWindowMs !== undefined && {
        paymentIdWindowMs: opts.machine.paymentIdWindowMs,
      }),
      ...(metrics && { onCommit: (c) => metrics.commit(c) }),
    });
    const { records, height } = await log.load();
    let runtime: ChannelNodeRuntime | null = null;
    const links = new LinkManager({
      suite: opts.suite,
      chainId,
      privateKey: opts.privateKey,
      onMessage: (from, msg) => runtime?.input(() => runtime!.machine.receive(from, msg)),
      // Locks are not forwarded over a link that is down: the payer hears `peer_offline` at once.
      onLinkUp: (peer) => runtime?.input(() => runtime!.machine.peerLink(peer, true)),
      onLinkDown: (peer) => runtime?.input(() => runtime!.machine.peerLink(peer, false)),
      onProblem: problem,
      ...(metrics && { onBadInput: (code) => metrics.badInput('channel-link', code) }),
    });
    const chain = new ChainBridge(opts.client, opts.suite, opts.privateKey, problem);
    const rt = new ChannelNodeRuntime(opts, metrics, log, links, chain, chainId);
    runtime = rt;
    metrics?.watch(rt);
    rt.machine = new ChannelNode(
      { suite: opts.suite, chainId, privateKey: opts.privateKey, ...DEFAULT_MACHINE, ...opts.machine },
      records,
      Date.now(),
    );
    for (const r of records) rt.note(r);
    rt.recoverInFlight();
    await rt.dropFinished();
    const recent = await log.payments(rt.recentCap);
    rt.recent.push(...recent.reverse());
    rt.nextSeq = (rt.recent.at(-1)?.seq ?? 0) + 1;
    if (opts.watcher) rt.handoff = new WatchHandoff(opts.watcher, 200, problem);
    if (opts.port !== undefined) rt.port = await links.listen(opts.port, opts.host);
    else if (opts.server) links.listenOn(opts.server.http, opts.server.path);
    for (const url of opts.peers ?? []) links.connect(url);
    // Events at or below the log's height were applied before: they only rebuild the channel graph.
    chain.follow(1, (event) => rt.onChainEvent(event, event.height <= height));
    void chain.caughtUp.then(() => rt.input(() => rt.releaseRetries()));
    const tickMs = opts.tickMs ?? 20;
    rt.tickTimer = setInterval(() => rt.input(() => rt.machine.tick(Date.now())), tickMs);
    rt.keeperTimer = setInterval(() => void rt.keep(), 1_000);
    rt.input(() => rt.machine.tick(Date.now()));
    return rt;
  }

  // ---------------------------------------------------------------------------------------- API

  /** Keeps a link to another node. */
  connect(url: string): void {
    this.links.connect(url);
  }

  /** Opens a channel to `peer` with this node's deposits; resolves with its id once committed. */
  async open(
    peer: { address: string; publicKey: Uint8Array },
    deposits: readonly { symbol: string; amount: bigint }[],
    disputeMs = 3_000,
  ): Promise<string> {
    const r = await this.chain.send({
      name: 'open',
      params: { peer: peer.address, peerKey: peer.publicKey, disputeMs, deposits },
    });
    if (!r.ok) throw new ChainRefused('open', r.code ?? 'refused', r.message ?? '');
    const opened = r.events.find((e) => e.contract === 'channels' && e.name === 'opened');
    const id = (opened?.attrs as { id: string } | undefined)?.id;
    if (!id) throw new Error('open committed without an opened event');
    await this.waitFor(() => this.infos.has(id));
    return id;
  }

  /** Tops up a channel; resolves once the node knows the new deposits. */
  async deposit(channel: string, deposits: readonly { symbol: string; amount: bigint }[]): Promise<void> {
    if (!this.infos.has(channel)) {
      // Opened by the peer a moment ago, perhaps: the chain knows.
      const c = await this.chain.channel(channel);
      if (!c || (c.info.a !== this.address && c.info.b !== this.address)) throw new ChannelUnknown(channel);
      if (c.status !== 'open') throw new ChannelUnknown(channel, c.status);
    } else this.openChannel(channel);
    const r = await this.chain.send({ name: 'deposit', params: { channel, deposits } });
    if (!r.ok) throw new ChainRefused('deposit', r.code ?? 'refused', r.message ?? '');
    await this.waitFor(() => {
      const info = this.infos.get(channel)?.info;
      return deposits.every((d) => {
        const dep = info?.deposits[d.symbol];
        return dep !== undefined && (info!.a === this.address ? dep.a : dep.b) > 0n;
      });
    });
  }

  /**
   * Closes a channel: together with the peer (both sign the final amounts, the chain pays out at once),
   * or alone when the peer does not agree in time or `force` is set (with the newest proofs held; the
   * chain settles it after the dispute window).
   */
  close(channel: string, opts: { force?: boolean } = {}): void {
    this.openChannel(channel);
    this.input(() => (opts.force ? this.machine.close(channel) : this.machine.closeCooperatively(channel)));
  }

  /** A new invoice: this node keeps the preimage and reveals it to whoever pays the lock. */
  invoice(asset: string, amount: bigint): Invoice {
    const preimage = new Uint8Array(randomBytes(32));
    const hashlock = hashlockOf(this.opts.suite, preimage);
    this.input(() => this.machine.addInvoice(preimage));
    const inv = { payee: this.address, asset, amount, hashlock };
    return inv;
  }

  /**
   * Pays `to` (an invoice, or a neighbour directly) over the most probable route; resolves with the
   * payment once it completed or failed. A caller waits at most `payWaitMs`, and for a hash-locked
   * payment no longer than its lock's expiry: then it resolves with the payment as it stands, outcome
   * `started` (still in flight; `payments()` shows its outcome once there is one) — but never before the
   * payment's record is durable in the log. If the node stops before the payment is signed into a batch,
   * it was not sent: after the restart it is in the history as failed (NOT_SENT, reason code `not_sent`)
   * and its id is free for a retry. A node that stops before even its record is durable rejects the
   * waiting call with PaymentRefused `stopped`.
   *
   * `id` (PAYMENT_ID, random when absent) makes a retry safe: a payment whose id is malformed, in flight
   * or finished within the machine's payment id window is refused with PaymentRefused, and nothing is
   * kept for it. (A payment that failed for want of a route never reached the machine: its id is free.)
   */
  pay(
    req: Invoice | { payee: string; asset: string; amount: bigint; hashlock?: string },
    id = toHex(new Uint8Array(randomBytes(12))),
  ): Promise<PaymentView> {
    return this.startPayment(req, id, false);
  }

  /** `pay`, `held` once it waited for the route map (see there). */
  private startPayment(
    req: Invoice | { payee: string; asset: string; amount: bigint; hashlock?: string },
    id: string,
    held: boolean,
  ): Promise<PaymentView> {
    if (this.stopped || this.counters.fatal)
      return Promise.reject(new PaymentRefused('stopped', id, 'the channel node has stopped'));
    if (typeof id !== 'string' || !PAYMENT_ID.test(id))
      return Promise.reject(
        new PaymentRefused('bad_id', String(id), 'payment id: 8–64 letters, digits, "-" or "_"'),
      );
    if (this.inFlight.has(id) || this.machine.paymentIdTaken(id))
      return Promise.reject(
        new PaymentRefused('duplicate_id', id, `payment id ${id} is in flight or was used recently`),
      );
    const now = Date.now();
    const found = this.graph.route(this.address, req.payee, req.asset, req.amount, MAX_HOPS, (e) =>
      this.missionControl.weight(e, req.amount, now),
    );
    if (!found && !held && !this.chain.isCaughtUp) {
      // The node just started and its route map is still read again from the chain's events: rather than
      // "no route" while the route exists, the payment waits for the map (nothing is kept for it meanwhile)
      // for at most the caller's wait, then looks once more.
      this.counters.paymentsHeld++;
      const maxWait = Math.max(1, this.opts.payWaitMs ?? DEFAULT_PAY_WAIT_MS);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxWait);
        timer.unref();
      });
      return Promise.race([this.chain.caughtUp, waited]).then(() => {
        clearTimeout(timer);
        return this.startPayment(req, id, true);
      });
    }
    const peer = found?.path[0];
    if (peer !== undefined && (this.inFlightByPeer.get(peer) ?? 0) >= this.maxInFlightPerPeer) {
      this.counters.peerBusy++;
      return Promise.reject(
        new PaymentRefused(
          'peer_busy',
          id,
          `${this.maxInFlightPerPeer} payments are in flight to ${peer} already: try again once some are done`,
          { peer, max: this.maxInFlightPerPeer },
        ),
      );
    }
    this.metrics?.payment('started');
    const view: PaymentView = {
      id,
      asset: req.asset,
      amount: req.amount,
      direction: 'out',
      outcome: 'started',
      ...(found && { hops: found.path.length, peer: found.path[0], route: found.path }),
      at: Date.now(),
    };
    const maxWait = Math.max(1, this.opts.payWaitMs ?? DEFAULT_PAY_WAIT_MS);
    const hopDeltaMs = this.opts.machine?.hopDeltaMs ?? DEFAULT_MACHINE.hopDeltaMs;
    const done = this.wait(
      view,
      found && req.hashlock !== undefined ? Math.min(maxWait, found.path.length * hopDeltaMs) : maxWait,
    );
    if (!found) {
      this.settle(id, { ...view, outcome: 'failed', reason: 'no route' });
      return done;
    }
    this.track(view);
    // Only a hash-locked payment can take another route: a direct one goes to its one neighbour.
    if (req.hashlock !== undefined)
      this.attempts.set(id, {
        req: { payee: req.payee, asset: req.asset, amount: req.amount, hashlock: req.hashlock },
        tried: 1,
        failedPairs: new Set(),
        attempt: 1,
        expiryBudget: view.at + MAX_HOPS * hopDeltaMs,
      });
    this.send(id, req, found.path, 1, this.attempts.get(id));
    return done;
  }

  /**
   * Hands a payment (its `attempt`, the first by default) to the machine over `route`, with what a
   * restarted node needs to go on trying it (`a`, the plan its record keeps).
   */
  private send(
    id: string,
    req: { asset: string; amount: bigint; hashlock?: string },
    route: readonly string[],
    attempt = 1,
    a?: Attempts,
  ): void {
    const plan: PaymentPlan | undefined = a && {
      payee: a.req.payee,
      tried: a.tried,
      deadline: a.expiryBudget,
      excluded: [...a.failedPairs],
    };
    this.input(() =>
      this.machine.pay({
        id,
        asset: req.asset,
        amount: req.amount,
        route: [...route],
        ...(req.hashlock !== undefined && { hashlock: req.hashlock }),
        ...(attempt > 1 && { attempt }),
        ...(plan && { plan }),
      }),
    );
  }

  /**
   * A payment failed, and may go again. Either its first hop could not take it (the machine kept nothing
   * of it: its id is free), or its lock failed further down and was taken back (`e.attempt`): then the
   * hop the failing node signed for (`e.failure`) is what failed, and without one (a failure an
   * intermediary stripped or altered) every hop of the route is suspect. The failed hop is remembered
   * (mission control), and the payment goes again, same id, over the best route without any hop it failed
   * at (after a lock failed: as its next attempt), if it has attempts left and the new lock expires within
   * its budget. Whether it did: a payment not tried again fails with this failure.
   */
  private retry(id: string, e: Effect & { t: 'outcome' }, failed: PaymentView & { outcome: Final }): boolean {
    const a = this.attempts.get(id);
    const view = this.inFlight.get(id);
    if (!a || !view || e.reason === NOT_RETRYABLE) return false;
    const now = Date.now();
    const { asset, amount } = a.req;
    let code: string;
    if (e.attempt !== undefined) {
      // A lock of this payment failed on its route and was removed: the next attempt may take its hashlock.
      if (e.attempt !== a.attempt) return false;
      a.attempt = e.attempt + 1;
      const f: RouteFailure | undefined = e.failure;
      if (f) {
        code = f.code;
        // The payee does not know the payment: another route reaches the same payee.
        if (f.code === 'unknown_payment') return false;
        // A direction out of lock slots refuses a lock of any amount; one short of capacity, this much.
        this.missionControl.reportFailure(f.node, f.next, asset, f.code === 'lock_limit' ? 1n : amount, now);
        a.failedPairs.add(`${f.node}/${f.next}`);
      } else {
        code = 'unattributed';
        const route = [this.address, ...(view.route ?? [])];
        for (let i = 0; i + 1 < route.length; i++)
          this.missionControl.reportFailure(route[i]!, route[i + 1]!, asset, amount, now);
      }
    } else {
      if (e.reason === undefined || !RETRYABLE.has(e.reason)) return false;
      code = failureCode(e.reason);
      if (view.peer !== undefined) {
        a.failedPairs.add(`${this.address}/${view.peer}`);
        const failedAmount = e.reason === LOCK_LIMIT ? 1n : amount;
        this.missionControl.reportFailure(this.address, view.peer, asset, failedAmount, now);
      }
    }
    if (a.tried >= this.payAttempts || this.stopped || this.counters.fatal) return false;
    const hopDeltaMs = this.opts.machine?.hopDeltaMs ?? DEFAULT_MACHINE.hopDeltaMs;
    if (Math.floor((a.expiryBudget - now) / hopDeltaMs) < 1) return false;
    if (!this.chain.isCaughtUp) {
      // The route map is still read again from the chain's events (the node just started): the retry
      // waits until it holds what the chain had then, and for no longer than the payment's budget.
      this.holdRetry(id, a, code, failed);
      return true;
    }
    return this.reroute(id, a, view, code);
  }

  /** A retry held until the route map caught up with the chain: it goes then, or fails at its deadline. */
  private holdRetry(id: string, a: Attempts, code: string, failed: PaymentView & { outcome: Final }): void {
    const hopDeltaMs = this.opts.machine?.hopDeltaMs ?? DEFAULT_MACHINE.hopDeltaMs;
    const giveUp = () => {
      if (this.heldRetries.get(id) !== held) return;
      this.heldRetries.delete(id);
      if (this.inFlight.has(id)) this.settle(id, { ...failed, at: Date.now() });
    };
    const held = {
      timer: setTimeout(giveUp, Math.max(0, a.expiryBudget - hopDeltaMs - Date.now())),
      go: () => {
        clearTimeout(held.timer);
        this.heldRetries.delete(id);
        const view = this.inFlight.get(id);
        if (!view || this.stopped || this.counters.fatal) return;
        if (!this.reroute(id, a, view, code)) this.settle(id, { ...failed, at: Date.now() });
      },
    };
    held.timer.unref();
    this.heldRetries.set(id, held);
    this.counters.retriesHeld++;
  }

  /** The route map caught up with the chain: the retries held for it go now, in the order they came. */
  private releaseRetries(): void {
    for (const held of [...this.heldRetries.values()]) held.go();
  }

  /**
   * Sends a failed payment again over the best route without any hop it failed at, within its expiry
   * budget; whether it found one.
   */
  private reroute(id: string, a: Attempts, view: PaymentView, code: string): boolean {
    const now = Date.now();
    const { asset, amount } = a.req;
    const hopDeltaMs = this.opts.machine?.hopDeltaMs ?? DEFAULT_MACHINE.hopDeltaMs;
    const maxHops = Math.min(MAX_HOPS, Math.floor((a.expiryBudget - now) / hopDeltaMs));
    if (maxHops < 1) return false;
    const found = this.graph.route(this.address, a.req.payee, asset, amount, maxHops, (edge) => {
      // Never a hop that failed this payment (a first hop too), nor a first hop with its limit of
      // payments in flight.
      if (a.failedPairs.has(`${edge.from}/${edge.to}`)) return 0;
      if (edge.from === this.address && this.inFlightTo(edge.to) >= this.maxInFlightPerPeer) return 0;
      return this.missionControl.weight(edge, amount, now);
    });
    if (!found) return false;
    a.tried++;
    this.counters.retries++;
    this.metrics?.retry(code);
    this.track({
      ...view,
      outcome: 'started',
      hops: found.path.length,
      peer: found.path[0]!,
      route: found.path,
    });
    const attempt = a.attempt;
    // After the effects of the input that failed it: the machine hears one input at a time.
    queueMicrotask(() => {
      if (this.inFlight.has(id)) this.send(id, a.req, found.path, attempt, a);
    });
    return true;
  }

  channels(): ChannelView[] {
    const out: ChannelView[] = [];
    for (const [id, { info }] of this.infos) {
      const side = info.a === this.address ? 'a' : 'b';
      const assets: Record<string, ChannelView['assets'][string]> = {};
      for (const [symbol, d] of Object.entries(info.deposits)) {
        const s = this.sides.get(`${id}/${symbol}`);
        const zero = { nonce: 0, transferred: 0n, locked: 0n };
        assets[symbol] = {
          deposit: side === 'a' ? d.a : d.b,
          peerDeposit: side === 'a' ? d.b : d.a,
          available: this.machine.available(id, symbol),
          out: s?.out ?? zero,
          in: s?.in ?? zero,
          proofs: s?.proofs ?? {},
        };
      }
      out.push({
        id,
        peer: side === 'a' ? info.b : info.a,
        side,
        status: this.machine.statusOf(id) ?? 'open',
        ...(this.machine.shuttingDownNow(id) && { closingTogether: true as const }),
        disputeMs: info.disputeMs,
        assets,
        keys: side === 'a' ? { mine: info.aKey, peer: info.bKey } : { mine: info.bKey, peer: info.aKey },
        ...(this.closeTxs.has(id) && { closeTx: this.closeTxs.get(id)! }),
      });
    }
    return out;
  }

  /** Payments in flight and the newest finished ones this node keeps in memory, newest first. */
  paymentList(): PaymentView[] {
    return [...this.inFlight.values(), ...this.recent].sort(
      (x, y) => y.at - x.at || (y.seq ?? Number.MAX_SAFE_INTEGER) - (x.seq ?? Number.MAX_SAFE_INTEGER),
    );
  }

  /**
   * A page of payments, newest first: without `before`, those in flight and the newest `limit` finished
   * ones; with it, the `limit` finished ones before that place in the history (read from the log when
   * memory no longer holds them).
   */
  async payments(limit: number, before?: number): Promise<PaymentPage> {
    let finished: PaymentView[];
    const held = this.recent.filter((p) => before === undefined || p.seq < before);
    const memoryHasAll = held.length >= limit || (this.recent[0]?.seq ?? 1) <= 1;
    if (memoryHasAll) finished = held.slice(-limit).reverse();
    else finished = (await this.log.payments(limit, before)).map(({ ...p }) => p as PaymentView);
    const oldest = finished.at(-1)?.seq;
    const inFlight = before === undefined ? [...this.inFlight.values()].sort((x, y) => y.at - x.at) : [];
    return {
      payments: [...inFlight, ...finished],
      ...(oldest !== undefined && oldest > 1 && finished.length === limit && { next: oldest }),
    };
  }

  /** How many payments the node holds in memory (in flight and recent). */
  paymentsHeld(): number {
    return this.inFlight.size + this.recent.length;
  }

  /** Payments on their way that this node started (those recovered from its log at start-up too). */
  inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Payments in flight to one peer (their first hop). */
  inFlightTo(peer: string): number {
    return this.inFlightByPeer.get(peer) ?? 0;
  }

  /** Payments someone is waiting on in `pay` (each waits a bounded time). */
  waiting(): number {
    return this.waiters.size;
  }

  /** This node's channels by state. */
  channelCounts(): Record<'open' | 'closing' | 'settled', number> {
    const counts = { open: 0, closing: 0, settled: 0 };
    for (const id of this.infos.keys()) counts[this.machine.statusOf(id) ?? 'open']++;
    return counts;
  }

  private get recentCap(): number {
    return Math.max(1, this.opts.recentPayments ?? 200);
  }

  private get maxInFlightPerPeer(): number {
    return this.opts.maxInFlightPerPeer ?? DEFAULT_MAX_IN_FLIGHT_PER_PEER;
  }

  private get payAttempts(): number {
    return this.opts.payAttempts ?? DEFAULT_PAY_ATTEMPTS;
  }

  /** A payment on its way, or a newer view of one: in the list of payments in flight, counted by peer. */
  private track(view: PaymentView): void {
    const before = this.inFlight.get(view.id);
    this.inFlight.set(view.id, view);
    if (before?.peer === view.peer) return;
    if (before?.peer !== undefined) this.untrackPeer(before.peer);
    if (view.peer !== undefined)
      this.inFlightByPeer.set(view.peer, (this.inFlightByPeer.get(view.peer) ?? 0) + 1);
  }

  private untrack(id: string): void {
    const view = this.inFlight.get(id);
    if (!view) return;
    this.inFlight.delete(id);
    if (view.peer !== undefined) this.untrackPeer(view.peer);
  }

  private untrackPeer(peer: string): void {
    const n = (this.inFlightByPeer.get(peer) ?? 0) - 1;
    if (n > 0) this.inFlightByPeer.set(peer, n);
    else this.inFlightByPeer.delete(peer);
  }

  /**
   * The payments the log left in flight (their locks or direct payments still in the channels): back in
   * the list of payments in flight, so they show, count towards their peer's limit, and leave it when
   * they complete or fail as any other. Nobody waits on them: their callers were in the last process. A
   * hash-locked one whose record kept its plan goes on as before the restart: if its attempt in flight
   * fails, the next is tried (within its attempts and expiry budget, around the hops it failed at).
   */
  private recoverInFlight(): void {
    const now = Date.now();
    const hopDeltaMs = this.opts.machine?.hopDeltaMs ?? DEFAULT_MACHINE.hopDeltaMs;
    for (const p of this.machine.paymentsInFlight()) {
      const hops = p.route?.length;
      // A lock's expiry was set when it started: hops × hopDeltaMs later.
      const started =
        p.expiry !== undefined && hops !== undefined ? Math.min(now, p.expiry - hops * hopDeltaMs) : now;
      this.track({
        id: p.id,
        asset: p.asset,
        amount: p.amount,
        direction: 'out',
        outcome: 'started',
        peer: p.peer,
        ...(hops !== undefined && { hops, route: p.route }),
        ...(p.expiry !== undefined && { expiry: p.expiry }),
        at: started,
      });
      this.counters.recoveredInFlight++;
      if (p.attempt !== undefined && p.attempt > 1) this.recoveredAttempts.set(p.id, p.attempt);
      if (p.plan && p.hashlock !== undefined)
        this.attempts.set(p.id, {
          req: { payee: p.plan.payee, asset: p.asset, amount: p.amount, hashlock: p.hashlock },
          tried: p.plan.tried,
          failedPairs: new Set(p.plan.excluded),
          attempt: p.attempt ?? 1,
          expiryBudget: p.plan.deadline,
        });
    }
  }

  /** The channel, which must be this node's and open. */
  private openChannel(channel: string): void {
    if (!this.infos.has(channel)) throw new ChannelUnknown(channel);
    const status = this.machine.statusOf(channel) ?? 'open';
    if (status !== 'open') throw new ChannelUnknown(channel, status);
  }

  /**
   * Payments recovered in flight whose outcome the history already holds (the node stopped after it was
   * recorded, before the batch that reported it was known to be acknowledged): no longer in flight, and
   * their outcome, reported again once the batch sent again is acknowledged, is not recorded twice.
   */
  private async dropFinished(): Promise<void> {
    const window = this.opts.machine?.paymentIdWindowMs ?? PAYMENT_ID_WINDOW_MS;
    const done = await this.log.finished([...this.inFlight.keys()], Date.now() - window);
    for (const [id, attempt] of done) {
      // A row of an earlier attempt is one its payer tried again (the next attempt is the one in flight).
      if (attempt < this.attemptInFlight(id)) continue;
      this.untrack(id);
      this.attempts.delete(id);
      this.recoveredAttempts.delete(id);
      this.alreadyFinished.add(id);
    }
  }

  /** The attempt of an outgoing payment in flight (the first when nothing says otherwise). */
  private attemptInFlight(id: string): number {
    return this.attempts.get(id)?.attempt ?? this.recoveredAttempts.get(id) ?? 1;
  }

  /** A payment is over: into the history (memory keeps the newest, the log all of them). */
  private finish(view: PaymentView & { outcome: Final }): PaymentView {
    const attempt = view.direction === 'out' ? this.attemptInFlight(view.id) : undefined;
    this.untrack(view.id);
    if (view.direction === 'out') {
      this.attempts.delete(view.id);
      this.recoveredAttempts.delete(view.id);
    }
    this.metrics?.payment(view.outcome, view.outcome === 'failed' ? failureCode(view.reason) : undefined);
    const done = { ...view, seq: this.nextSeq++ };
    this.recent.push(done);
    if (this.recent.length > this.recentCap) this.recent.splice(0, this.recent.length - this.recentCap);
    this.log.appendPayment(attempt === undefined ? done : { ...done, attempt });
    return done;
  }

  /** Whether every batch sent was acknowledged, nothing is queued and no write is pending. */
  idle(): boolean {
    return this.machine.idle() && (this.handoff?.idle() ?? true);
  }

  stats() {
    return {
      address: this.address,
      machine: { ...this.machine.counters },
      log: { ...this.log.counters },
      links: { ...this.links.counters, peers: this.links.peers() },
      chain: { ...this.chain.counters },
      runtime: { ...this.counters, waiting: this.waiters.size, inFlight: this.inFlight.size },
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.keeperTimer) clearInterval(this.keeperTimer);
    this.chain.stop();
    await this.handoff?.stop();
    await this.links.close();
    await this.log.flush().catch(() => {});
    // Whoever still waits hears that the payment is under way once its record is durable: its outcome is
    // in the log after a restart (one never signed fails then, its id free again). A payment whose record
    // was not written (the log failed) was not sent: its caller is told so.
    for (const [id, w] of [...this.waiters]) {
      if (w.recorded) {
        this.giveUp(id, w);
        continue;
      }
      clearTimeout(w.timer);
      this.waiters.delete(id);
      w.reject(
        new PaymentRefused(
          'stopped',
          id,
          `the channel node stopped before payment ${id} was recorded: it was not sent, and its id may be used again once the node is back`,
        ),
      );
    }
  }

  // ---------------------------------------------------------------------------------------- internals

  /** Runs one input into the machine, then carries out what it asks for. */
  private input(fn: () => void): void {
    if (this.stopped || this.counters.fatal) return;
    this.counters.inputs++;
    fn();
    this.run();
  }

  private run(): void {
    for (const e of this.machine.drain()) {
      this.counters.effects++;
      this.effect(e);
    }
  }

  private effect(e: Effect): void {
    switch (e.t) {
      case 'persist': {
        const payments: string[] = [];
        for (const r of e.records) {
          this.note(r);
          if (r.t === 'payment' && r.queued) payments.push(r.id);
        }
        this.log.append(e.records).then(
          () => {
            if (payments.length > 0) this.recorded(payments);
            this.input(() => this.machine.persisted(e.seq));
          },
          (error) => this.fatal(`log write failed: ${(error as Error).message}`),
        );
        return;
      }
      case 'send':
        this.links.send(e.to, e.msg);
        return;
      case 'chain':
        this.chain.send(e.action).catch(() => {});
        return;
      case 'outcome':
        this.onOutcome(e);
        return;
      case 'watch':
      case 'watchPreimage':
      case 'watchDone':
        // Online, the node acts on its own channels itself; its watcher is for when it is not.
        this.handoff?.take(e);
        return;
      default:
        return;
    }
  }

  private onOutcome(e: Effect & { t: 'outcome' }): void {
    const known = this.inFlight.get(e.id);
    if (e.outcome === 'received') {
      this.finish({
        id: e.id,
        asset: e.asset,
        amount: e.amount,
        direction: 'in',
        outcome: 'received',
        at: Date.now(),
      });
      return;
    }
    if (this.alreadyFinished.has(e.id)) {
      // Recorded before the restart: a batch sent again reports it once more (the machine reports a
      // payment's end once, whichever of its channels' batches is acknowledged first).
      if (e.outcome !== 'started') this.alreadyFinished.delete(e.id);
      return;
    }
    const view: PaymentView = {
      ...(known ?? { id: e.id, asset: e.asset, amount: e.amount, direction: 'out' as const }),
      outcome: e.outcome,
      ...(e.reason !== undefined && { reason: e.reason }),
      at: Date.now(),
    };
    if (e.outcome === 'started') {
      this.track(view);
      // Signed into a batch: it left the node. A direct payment is decided; a lock may still fail on its
      // route and go again (its attempts stay).
      return;
    }
    if (e.outcome === 'failed' && this.retry(e.id, e, view as PaymentView & { outcome: Final })) return;
    this.settle(e.id, view as PaymentView & { outcome: Final });
  }

  private settle(id: string, finished: PaymentView & { outcome: Final }): void {
    const view = this.finish(finished);
    const waiter = this.waiters.get(id);
    if (!waiter) return;
    this.waiters.delete(id);
    clearTimeout(waiter.timer);
    waiter.resolve(view);
  }

  /** A caller waiting for `view`'s outcome, for at most `ms` (and until its record is durable). */
  private wait(view: PaymentView, ms: number): Promise<PaymentView> {
    return new Promise<PaymentView>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        view,
        recorded: false,
        due: false,
        timer: setTimeout(() => this.timeUp(view.id, waiter), ms),
      };
      // The timer alone does not keep a process running.
      waiter.timer.unref();
      this.waiters.set(view.id, waiter);
    });
  }

  /**
   * A waiter's time is up. It hears that the payment is under way only once the payment's record is
   * durable: an answer before that write could speak of a payment a crash then leaves no trace of.
   */
  private timeUp(id: string, waiter: Waiter): void {
    if (waiter.recorded) this.giveUp(id, waiter);
    else waiter.due = true;
  }

  /** The write holding these payments' records is durable: their waiters may hear they are under way. */
  private recorded(ids: readonly string[]): void {
    for (const id of ids) {
      const waiter = this.waiters.get(id);
      if (!waiter) continue;
      waiter.recorded = true;
      if (waiter.due) this.giveUp(id, waiter);
    }
  }

  /** A waiter stops waiting: it hears the payment as it stands (still in flight) and leaves the map. */
  private giveUp(id: string, waiter: Waiter): void {
    clearTimeout(waiter.timer);
    if (this.waiters.get(id) === waiter) this.waiters.delete(id);
    this.counters.waitsGivenUp++;
    this.metrics?.waitGaveUp();
    waiter.resolve(this.inFlight.get(id) ?? waiter.view);
  }

  /** Keeps the per-channel views the log implies. */
  private note(r: DurableRecord): void {
    if (r.t === 'channel') {
      this.infos.set(r.info.id, r);
      return;
    }
    if (r.t !== 'out' && r.t !== 'in') return;
    const key = `${r.channel}/${r.asset}`;
    const zero = { nonce: 0, transferred: 0n, locked: 0n };
    const s = this.sides.get(key) ?? { out: zero, in: zero, proofs: {} };
    s[r.t] = { nonce: r.proof.nonce, transferred: r.proof.transferred, locked: r.proof.locked };
    s.proofs =
      r.t === 'out'
        ? { ...s.proofs, out: r.proof }
        : { ...s.proofs, in: { ...r.proof, countersignature: r.countersignature } };
    this.sides.set(key, s);
  }

  private fatal(why: string): void {
    if (this.counters.fatal) return;
    this.counters.fatal = why;
    this.opts.onProblem?.(`channel node stopped: ${why}`);
    void this.stop().then(() => this.opts.onFatal?.(why));
  }

  private async onChainEvent(event: EventJson, replay: boolean): Promise<void> {
    const m = machineEventOf(event);
    if (!m) return;
    if (m.kind === 'channel') {
      const c = await this.chain.channel(m.id);
      if (!c) return;
      // Deposits grew: the channel's edges are replaced with the new capacities, and what failed between
      // its parties may get through now.
      this.graph.removeChannel(c.info.id);
      if (!replay) this.missionControl.forgetPair(c.info.a, c.info.b);
      if (c.status === 'open')
        for (const [symbol, d] of Object.entries(c.info.deposits))
          this.graph.addChannel(c.info.id, c.info.a, c.info.b, symbol, d.a + d.b);
      const ours = c.info.a === this.address || c.info.b === this.address;
      if (ours && (!replay || !this.infos.has(c.info.id))) this.input(() => this.machine.addChannel(c.info));
      if (ours && !replay && c.status === 'open' && c.info.b === this.address) this.matchDeposits(c);
    } else if (m.kind === 'closing') {
      if (m.ev.t === 'closing') this.graph.removeChannel(m.ev.channel);
      if (!replay && this.infos.has((m.ev as { channel: string }).channel))
        this.input(() => this.machine.chainEvent(m.ev));
    } else if (m.kind === 'settled') {
      this.graph.removeChannel(m.id);
      // Events are followed from the first block at every start, so this needs no record of its own.
      if (this.infos.has(m.id)) this.closeTxs.set(m.id, { id: event.txId, height: event.height });
      if (!replay && this.infos.has(m.id) && this.machine.statusOf(m.id) !== 'settled')
        this.input(() =>
          this.machine.chainEvent({
            t: 'settled',
            channel: m.id,
            ...(m.mode === 'cooperative' && { cooperative: true }),
          }),
        );
    } else if (m.kind === 'preimage' && !replay) {
      const p = await this.chain.preimage(m.hashlock);
      if (p)
        this.input(() =>
          this.machine.chainEvent({
            t: 'preimage',
            hashlock: m.hashlock,
            preimage: p.preimage,
            time: p.time,
          }),
        );
    }
    // Every block before this one is fully applied (events of one block may still be on their way).
    if (!replay) this.log.setHeight(event.height - 1);
  }

  /** A hub's answer to a channel opened to it: the same deposits, up to its limit, once per asset. */
  private matchDeposits(c: ChainChannel): void {
    const limit = this.opts.hub?.maxDeposit;
    if (limit === undefined || limit <= 0n) return;
    const deposits: { symbol: string; amount: bigint }[] = [];
    for (const [symbol, d] of Object.entries(c.info.deposits)) {
      const key = `${c.info.id}/${symbol}`;
      if (d.b > 0n || d.a === 0n || this.matched.has(key)) continue;
      this.matched.add(key);
      // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers only).
      deposits.push({ symbol, amount: d.a < limit ? d.a : limit });
    }
    if (deposits.length > 0)
      this.chain.send({ name: 'deposit', params: { channel: c.info.id, deposits } }).catch(() => {});
  }

  private readonly matched = new Set<string>();

  /** Settles this node's closing channels once the chain allows it (anyone may; the parties do). */
  private async keep(): Promise<void> {
    if (this.stopped) return;
    for (const id of this.infos.keys()) {
      if (this.machine.statusOf(id) !== 'closing') continue;
      const last = this.settling.get(id) ?? 0;
      if (Date.now() - last < 2_000) continue;
      this.settling.set(id, Date.now());
      try {
        const c: ChainChannel | undefined = await this.chain.channel(id);
        if (!c) continue;
        if (c.status === 'closing' && c.settleFrom !== undefined && Date.now() >= c.settleFrom)
          await this.chain.send({ name: 'settle', params: { channel: id } });
        else if (c.status === 'settled' && this.machine.statusOf(id) !== 'settled')
          this.input(() => this.machine.chainEvent({ t: 'settled', channel: id }));
      } catch (error) {
        this.opts.onProblem?.(`settling ${id}: ${(error as Error).message}`);
      }
    }
  }

  private async waitFor(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    while (!predicate()) {
      if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for the chain');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Options that must be positive whole numbers: a bad one stops the start with the option's name. */
function checkOptions(opts: ChannelNodeOptions): void {
  const positive: [string, number | undefined][] = [
    ['maxInFlightPerPeer', opts.maxInFlightPerPeer],
    ['payAttempts', opts.payAttempts],
    ['checkpointRecords', opts.checkpointRecords],
  ];
  for (const [name, value] of positive)
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
      throw new RangeError(`${name}: a positive integer is needed, not ${value}`);
  const memory = opts.failureMemoryMs;
  if (memory !== undefined && (!Number.isSafeInteger(memory) || memory < 1 || memory > MAX_FAILURE_MEMORY_MS))
    throw new RangeError(
      `failureMemoryMs: a whole number of milliseconds from 1 to ${MAX_FAILURE_MEMORY_MS} is needed, not ${memory}`,
    );
}
