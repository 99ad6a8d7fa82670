// The deterministic simulator of the channel network, in the style of chain/sim: one seed drives
// everything (topology, deposits, payments, message drops and delays, crashes with writes not yet durable,
// offline periods, a party that closes with an old state while its peer is offline, a party that holds
// locks and never releases them, and floods of locks towards it, more than one balance proof may carry).
// Channel nodes are the real machine, the chain is the real contracts.
// The checker asserts, throughout and at the end:
//   - conservation: the contracts' invariants after every block (each asset's supply = balances + locked,
//     each channel's deposits = balances + locked = payouts) and every supply unchanged;
//   - durability: a node never acknowledged a batch its durable log does not hold when it crashed;
//   - lock limit: no balance proof a node signs or accepts holds more pending locks than the contract
//     takes (MAX_LOCKS), so every proof can be put on chain;
//   - honest parties never lose: once every channel is settled and withdrawn, each honest node holds at
//     least its initial balance, less what it paid (payments not reported failed), plus what it received;
//   - every payment resolves: each payment a payer started ends completed or failed (refunded), within its
//     expiry plus a grace period, and never failed for the payer while received by the payee; a payment
//     the payer accepted (its record reached the payer's log) always gets an outcome, also when a crash
//     came before it was signed.
// A violation names its seed; the same seed replays it exactly.

import { channelOf, hashlockOf, MAX_LOCKS, type SignedBalanceProof } from '@gongxin/contracts';
import { type Action, type ChainEvent as LedgerEvent, toHex, utf8 } from '@gongxin/ledger';
import { type TestAccount, testAccount } from '@gongxin/ledger/testing';
import { createFastSuite, Rng } from '@gongxin/sim';
import { RecordFold } from '../checkpoint';
import { type ChainEvent, ChannelNode, type DurableRecord, type Effect, proofParams } from '../machine';
import type { Message } from '../messages';
import { ChannelGraph } from '../routing';
import { Watcher } from '../watcher';
import { SIM_CHAIN_ID, SimChain } from './chain';

export const ASSETS = ['CNYX', 'PTS', 'KWH'] as const;

export interface ChannelSimOptions {
  readonly seed: number;
  /** Test-only defect: nodes acknowledge batches before their write is durable. */
  readonly ackBeforePersist?: boolean;
  /** Test-only defect: no watchers, so an offline party cannot be defended. */
  readonly noWatcher?: boolean;
  /** Force the cheating close (otherwise drawn by the seed). */
  readonly forceCheat?: boolean;
  /** Crash rate multiplier. */
  readonly crashiness?: number;
  /**
   * Restart from the whole log instead of the newest checkpoint and the records after it: the reference
   * a checkpoint must match (the same seed runs the same either way).
   */
  readonly noCheckpoints?: boolean;
  readonly onTrace?: (line: string) => void;
}

export interface Violation {
  readonly seed: number;
  readonly kind:
    | 'conservation'
    | 'durability'
    | 'lock-limit'
    | 'honest-loss'
    | 'unresolved'
    | 'late'
    | 'inconsistent'
    | 'stuck';
  readonly message: string;
}

export interface ChannelSimResult {
  readonly seed: number;
  readonly violations: Violation[];
  readonly nodes: number;
  readonly channels: number;
  /** Started payments end completed or failed; refused ones never left the payer (no capacity, no route). */
  readonly payments: {
    started: number;
    completed: number;
    failed: number;
    refused: number;
    notStarted: number;
  };
  readonly batches: number;
  readonly ops: number;
  readonly writes: number;
  readonly crashes: number;
  /** Restarts that read a checkpoint and the records after it rather than the whole log. */
  readonly checkpointRestarts: number;
  /** Floods of locks towards the griefer, and the new locks nodes refused at MAX_LOCKS a direction. */
  readonly floods: number;
  readonly lockLimitRefusals: number;
  /** Payments failed at a restart because they were queued but never signed (NOT_SENT). */
  readonly unsentAtRestart: number;
  readonly cheats: number;
  readonly challenges: number;
  /** Channels settled by both parties' signatures, and by a close alone (after its dispute window). */
  readonly settledTogether: number;
  readonly settledAlone: number;
  readonly reveals: number;
  readonly blocks: number;
  readonly simMs: number;
  readonly traceHash: string;
}

type Role = 'honest' | 'cheater' | 'griefer';

interface SimNode {
  readonly index: number;
  readonly account: TestAccount;
  readonly role: Role;
  machine: ChannelNode;
  /** The durable log: records whose write was confirmed. */
  durable: DurableRecord[];
  /** The log folded into a checkpoint as it grows (see `CHECKPOINT_RECORDS`). */
  fold: RecordFold;
  /** The newest checkpoint: its records and how many of the log's records it stands for. */
  checkpoint: { records: DurableRecord[]; upTo: number } | null;
  /** Records made durable since the newest checkpoint. */
  sinceCheckpoint: number;
  /** Writes issued but not yet durable: lost on a crash. */
  inflightWrites: Map<number, DurableRecord[]>;
  up: boolean;
  online: boolean;
  /** Epoch: bumps on each crash so that events scheduled for the old incarnation are dropped. */
  epoch: number;
  watcher: Watcher | null;
  /** Chain events that arrived while the node was down or offline. */
  backlog: ChainEvent[];
  /** When the newest write becomes durable: writes complete in log order. */
  lastWriteAt: number;
  /** Max nonce acknowledged per channel/asset (durability check). */
  acked: Map<string, number>;
  /** Proofs of its own payments and the peer's countersignature, oldest first (what a cheater keeps). */
  history: Map<string, { proof: SignedBalanceProof; countersignature: Uint8Array }>;
  sentProofs: Map<string, SignedBalanceProof>;
}

interface Payment {
  readonly id: string;
  readonly payer: number;
  readonly payee: number;
  readonly asset: string;
  readonly amount: bigint;
  readonly hops: number;
  readonly createdAt: number;
  started?: number;
  completed?: number;
  failed?: number;
  received?: number;
}

/** A binary heap of timed events; ties keep insertion order. */
class Scheduler {
  private heap: { at: number; seq: number; run: () => void }[] = [];
  private seq = 0;
  now = 0;

  at(time: number, run: () => void): void {
    const item = { at: Math.max(time, this.now), seq: this.seq++, run };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private less(a: { at: number; seq: number }, b: { at: number; seq: number }) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  /** Runs events up to `until`; returns false when none are left. */
  runUntil(until: number): void {
    const h = this.heap;
    while (h.length > 0 && h[0]!.at <= until) {
      const top = h[0]!;
      const last = h.pop()!;
      if (h.length > 0) {
        h[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
          if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
          if (m === i) break;
          [h[m], h[i]] = [h[i]!, h[m]!];
          i = m;
        }
      }
      this.now = top.at;
      top.run();
    }
    this.now = Math.max(this.now, until);
  }
}

const GENESIS_TIME = 1_700_000_000_000;
const BLOCK_MS = 200;
const TICK_MS = 25;
const DISPUTE_MS = 3_000;
const REVEAL_MARGIN_MS = 1_200;
const HOP_DELTA_MS = DISPUTE_MS + 2 * REVEAL_MARGIN_MS;
const RETRANSMIT_MS = 300;
const GRACE_MS = 3 * BLOCK_MS + RETRANSMIT_MS * 4;
/**
 * A node checkpoints its log after this many records, as the channel node does (with a far larger
 * default); a restart reads the newest checkpoint and the records after it. Small, so that restarts
 * in the simulation go through checkpoints.
 */
const CHECKPOINT_RECORDS = 16;

export function runChannelSimulation(options: ChannelSimOptions): ChannelSimResult {
  const rng = new Rng(options.seed);
  const topo = rng.fork('topology');
  const net = rng.fork('network');
  const faults = rng.fork('faults');
  const pays = rng.fork('payments');
  const suite = createFastSuite();
  const violations: Violation[] = [];
  const violation = (kind: Violation['kind'], message: string) => {
    if (violations.length < 20) violations.push({ seed: options.seed, kind, message });
  };
  const traceParts: string[] = [];
  const trace = (line: string) => {
    traceParts.push(line);
    options.onTrace?.(`${((sched.now - GENESIS_TIME) / 1000).toFixed(3).padStart(8)}s ${line}`);
  };
  const sched = new Scheduler();

  // ------------------------------------------------------------------------------ topology and roles
  const n = topo.range(5, 10);
  const cheat = options.forceCheat || topo.chance(0.35);
  const grief = topo.chance(0.35);
  const roles: Role[] = Array.from({ length: n }, () => 'honest');
  if (cheat) roles[0] = 'cheater';
  if (grief) roles[n - 1] = 'griefer';
  const accounts = Array.from({ length: n }, (_, i) => testAccount(suite, 10_000 + options.seed * 64 + i));
  const issuer = testAccount(suite, 9_999);
  const initial = new Map<string, bigint>();
  const genesisBalances = ASSETS.map((symbol) => {
    const holders: Record<string, bigint> = {};
    for (const a of accounts) {
      const amount = BigInt(topo.range(150_000, 300_000));
      holders[a.address] = amount;
      initial.set(`${a.address}/${symbol}`, amount);
    }
    return { symbol, holders };
  });
  const supplies = new Map(
    genesisBalances.map((g) => [g.symbol, Object.values(g.holders).reduce((x, y) => x + y, 0n)]),
  );
  const chain = new SimChain(suite, GENESIS_TIME, genesisBalances, issuer.address);
  const start = GENESIS_TIME;
  sched.now = start;

  // A connected graph: a ring plus random chords; each channel in 1–3 assets, both sides deposit.
  const pairs = new Set<string>();
  const edges: [number, number][] = [];
  const addPair = (x: number, y: number) => {
    const k = x < y ? `${x}-${y}` : `${y}-${x}`;
    if (x === y || pairs.has(k)) return;
    pairs.add(k);
    edges.push([x, y]);
  };
  for (let i = 0; i < n; i++) addPair(i, (i + 1) % n);
  const chords = topo.range(0, n);
  for (let i = 0; i < chords; i++) addPair(topo.int(n), topo.int(n));
  const graph = new ChannelGraph();
  const channelPeers = new Map<string, [number, number]>();

  const byAddress = new Map(accounts.map((a, i) => [a.address, i]));
  const nodes: SimNode[] = accounts.map((account, index) => ({
    index,
    account,
    role: roles[index]!,
    machine: makeMachine(account, []),
    durable: [],
    fold: new RecordFold(),
    checkpoint: null,
    sinceCheckpoint: 0,
    inflightWrites: new Map(),
    lastWriteAt: 0,
    up: true,
    online: true,
    epoch: 0,
    watcher: options.noWatcher ? null : new Watcher(REVEAL_MARGIN_MS),
    backlog: [],
    acked: new Map(),
    history: new Map(),
    sentProofs: new Map(),
  }));

  function roleOf(account: TestAccount): Role {
    return roles[accounts.indexOf(account)] ?? 'honest';
  }

  function makeMachine(account: TestAccount, restore: DurableRecord[]): ChannelNode {
    return new ChannelNode(
      {
        suite,
        chainId: SIM_CHAIN_ID,
        privateKey: account.privateKey,
        maxBatch: 64,
        retransmitMs: RETRANSMIT_MS,
        revealMarginMs: REVEAL_MARGIN_MS,
        hopDeltaMs: HOP_DELTA_MS,
        ...(options.ackBeforePersist && { ackBeforePersist: true }),
        ...(roleOf(account) === 'griefer' && { holdLocks: true }),
      },
      restore,
      sched.now,
    );
  }

  // ------------------------------------------------------------------------------ payments bookkeeping
  const payments = new Map<string, Payment>();
  let crashes = 0;
  let checkpointRestarts = 0;
  let floods = 0;
  /** Counters of machines replaced at a crash (a restarted machine counts from zero). */
  let lockLimitRefusals = 0;
  let unsentAtRestart = 0;
  /** Payments whose record reached their payer's durable log: the payer accepted them. */
  const recorded = new Set<string>();
  let cheats = 0;
  let blocks = 0;
  const onChainPreimages = new Set<string>();

  // ------------------------------------------------------------------------------ effects
  const rejectionsSeen = new Map<ChannelNode, number>();
  function run(node: SimNode): void {
    if (!node.up) return;
    const effects = node.machine.drain();
    const seen = rejectionsSeen.get(node.machine) ?? 0;
    for (const r of node.machine.rejections.slice(seen)) trace(`n${node.index} refuses batch ${r}`);
    rejectionsSeen.set(node.machine, node.machine.rejections.length);
    for (const e of effects) handle(node, e);
  }

  function handle(node: SimNode, e: Effect): void {
    const epoch = node.epoch;
    switch (e.t) {
      case 'persist': {
        node.inflightWrites.set(e.seq, [...e.records]);
        for (const r of e.records)
          if (r.t === 'out') node.sentProofs.set(`${r.channel}/${r.asset}/${r.proof.nonce}`, r.proof);
        // The disk takes 1–8 ms per write (one write per group of records), in the order of the log.
        const doneAt = Math.max(sched.now + faults.range(1, 8), node.lastWriteAt);
        node.lastWriteAt = doneAt;
        sched.at(doneAt, () => {
          if (node.epoch !== epoch || !node.up) return;
          const records = node.inflightWrites.get(e.seq);
          if (!records) return;
          node.inflightWrites.delete(e.seq);
          makeDurable(node, records);
          node.machine.persisted(e.seq);
          run(node);
        });
        return;
      }
      case 'send': {
        if (e.msg.t === 'ack') {
          const key = `${e.msg.channel}/${e.msg.asset}`;
          node.acked.set(key, Math.max(node.acked.get(key) ?? 0, e.msg.nonce));
        }
        if (!node.online) return;
        deliver(node, byAddress.get(e.to)!, e.msg);
        return;
      }
      case 'chain':
        if (e.action.name === 'revealPreimage') trace(`n${node.index} reveals a preimage on chain`);
        chain.submit(node.account, {
          contract: 'channels',
          name: e.action.name,
          params: e.action.params as never,
        });
        return;
      case 'watch':
      case 'watchPreimage':
      case 'watchDone':
        node.watcher?.take(e);
        return;
      case 'outcome': {
        const p = payments.get(e.id);
        if (!p) return;
        trace(`n${node.index} ${e.outcome} ${e.id}${e.reason ? ` (${e.reason})` : ''}`);
        if (e.outcome === 'started') p.started ??= sched.now;
        else if (e.outcome === 'completed') p.completed ??= sched.now;
        else if (e.outcome === 'failed') p.failed ??= sched.now;
        else if (e.outcome === 'received') p.received ??= sched.now;
        if (p.failed !== undefined && p.completed !== undefined)
          violation('inconsistent', `payment ${p.id} both completed and failed at its payer`);
        return;
      }
    }
  }

  const dropRate = net.chance(0.3) ? 0 : net.float() * 0.15;
  function deliver(from: SimNode, to: number, msg: Message): void {
    if (net.chance(dropRate)) return;
    const delay = net.range(1, 40);
    const target = nodes[to]!;
    sched.at(sched.now + delay, () => {
      if (!target.up || !target.online) return;
      if (msg.t === 'ack' && target.role === 'cheater') {
        const proof = target.sentProofs.get(`${msg.channel}/${msg.asset}/${msg.nonce}`);
        const key = `${msg.channel}/${msg.asset}`;
        // A cheater keeps the first acknowledged state of its payments it can find.
        if (proof && !target.history.has(key))
          target.history.set(key, { proof, countersignature: msg.countersignature });
      }
      if (msg.t === 'fail') trace(`n${from.index} → n${target.index} fail ${msg.hashlock.slice(0, 8)}`);
      else if (msg.t === 'reveal') trace(`n${from.index} → n${target.index} reveal`);
      else if (msg.t === 'shutdown' || msg.t === 'closeSign')
        trace(`n${from.index} → n${target.index} ${msg.t} ${msg.channel.slice(0, 8)}`);
      else if (options.onTrace)
        trace(
          `n${from.index} → n${target.index} ${msg.t} ${msg.channel.slice(0, 8)}/${msg.asset} #${msg.t === 'ack' ? msg.nonce : `${msg.proof.nonce} (${msg.ops.length} ops)`}`,
        );
      target.machine.receive(from.account.address, msg);
      run(target);
    });
  }

  // ------------------------------------------------------------------------------ chain
  function produceBlock(): void {
    const { events, problems } = chain.block(sched.now);
    blocks++;
    for (const p of problems) violation('conservation', `block at ${sched.now - start} ms: ${p}`);
    for (const e of events) onChainEvent(e);
  }

  function onChainEvent(e: LedgerEvent): void {
    if (e.contract === 'assets') {
      if (e.name === 'burned' || e.name === 'minted')
        violation('conservation', `units ${e.name} in a channel run`);
      return;
    }
    if (e.contract !== 'channels') return;
    const attrs = e.attrs as Record<string, unknown>;
    if (e.name === 'opened' || e.name === 'deposited') {
      const id = attrs.id as string;
      const c = channelOf(chain.store, id)!;
      const info = {
        id,
        a: c.a,
        b: c.b,
        aKey: c.aKey,
        bKey: c.bKey,
        disputeMs: c.disputeMs,
        deposits: Object.fromEntries(
          Object.entries(c.assets).map(([s, d]) => [s, { a: d.depositA, b: d.depositB }]),
        ),
      };
      if (e.name === 'deposited') {
        for (const i of [byAddress.get(c.a)!, byAddress.get(c.b)!]) {
          const node = nodes[i]!;
          // The node learns of it from the chain (even after a restart: it is in its log).
          if (node.up) {
            node.machine.addChannel(info);
            run(node);
          } else makeDurable(node, [{ t: 'channel', info }]);
        }
      }
      return;
    }
    if (e.name === 'preimageRevealed') {
      const hashlock = attrs.hashlock as string;
      onChainPreimages.add(hashlock);
      const stored = chain.store.get(`channels/preimage/${hashlock}`) as {
        preimage: Uint8Array;
        time: number;
      };
      broadcast({ t: 'preimage', hashlock, preimage: stored.preimage, time: stored.time });
      return;
    }
    if (e.name === 'closing') {
      const id = attrs.id as string;
      const [x, y] = channelPeers.get(id)!;
      graph.removeChannel(id);
      for (const i of [x, y]) {
        const node = nodes[i]!;
        deliverChain(node, {
          t: 'closing',
          channel: id,
          by: attrs.by as string,
          deadline: attrs.deadline as number,
        });
        // The watcher is always online: it answers from the proofs its client gave it.
        const c = channelOf(chain.store, id)!;
        const action = node.watcher?.onClosing(
          id,
          (asset, side) => c.closing?.proofs[`${asset}/${side}`]?.nonce ?? 0,
        );
        if (action) {
          trace(`watcher of n${i} challenges ${id.slice(0, 8)}`);
          chain.submit(node.account, {
            contract: 'channels',
            name: action.name,
            params: action.params as never,
          });
        }
      }
      const settleAt = Math.max(attrs.deadline as number, 0);
      scheduleSettle(id, settleAt);
      return;
    }
    if (e.name === 'settled' && attrs.symbol !== undefined) {
      const id = attrs.id as string;
      const c = channelOf(chain.store, id)!;
      if (c.status !== 'settled' || settledSeen.has(id)) return;
      settledSeen.add(id);
      const cooperative = attrs.mode === 'cooperative';
      if (cooperative) settledTogether++;
      else settledAlone++;
      for (const i of channelPeers.get(id)!) {
        nodes[i]!.watcher?.forget(id);
        deliverChain(nodes[i]!, { t: 'settled', channel: id, ...(cooperative && { cooperative }) });
      }
    }
  }
  const settledSeen = new Set<string>();
  let settledTogether = 0;
  let settledAlone = 0;

  function scheduleSettle(id: string, deadline: number): void {
    const attempt = () => {
      const c = channelOf(chain.store, id)!;
      if (c.status !== 'closing') return;
      let until = deadline;
      for (const p of Object.values(c.closing!.proofs))
        for (const l of p.locks) until = Math.max(until, l.expiry + 1);
      if (sched.now < until) {
        sched.at(until + 1, attempt);
        return;
      }
      // Anyone may settle: the keeper account does.
      chain.submit(issuer, { contract: 'channels', name: 'settle', params: { channel: id } as never });
      sched.at(sched.now + 2 * BLOCK_MS, attempt);
    };
    sched.at(deadline + 1, attempt);
  }

  function broadcast(ev: ChainEvent): void {
    for (const node of nodes) deliverChain(node, ev);
  }

  function deliverChain(node: SimNode, ev: ChainEvent): void {
    if (!node.up || !node.online) {
      node.backlog.push(ev);
      return;
    }
    node.machine.chainEvent(ev);
    run(node);
  }

  function onChainTime(hashlock: string): boolean {
    return onChainPreimages.has(hashlock);
  }

  // ------------------------------------------------------------------------------ node life
  function tickNode(node: SimNode): void {
    if (!node.up) return;
    if (node.online) {
      node.machine.tick(sched.now);
      run(node);
    }
  }

  function crash(node: SimNode): void {
    if (!node.up) return;
    crashes++;
    trace(`n${node.index} crashes with ${node.inflightWrites.size} write(s) in flight`);
    // Durability: everything it acknowledged must be in its log.
    const held = new Map<string, number>();
    for (const r of node.durable) if (r.t === 'in') held.set(`${r.channel}/${r.asset}`, r.proof.nonce);
    for (const [key, nonce] of node.acked)
      if ((held.get(key) ?? 0) < nonce)
        violation(
          'durability',
          `n${node.index} acknowledged nonce ${nonce} of ${key.slice(0, 12)}… but its log holds ${held.get(key) ?? 0}`,
        );
    node.up = false;
    node.epoch++;
    node.inflightWrites.clear();
    lockLimitRefusals += node.machine.counters.lockLimitRefusals;
    unsentAtRestart += node.machine.counters.unsentAtRestart;
  }

  /** Records reach the node's log; every CHECKPOINT_RECORDS of them the log takes a checkpoint. */
  function makeDurable(node: SimNode, records: readonly DurableRecord[]): void {
    for (const r of records) {
      if (r.t === 'payment') recorded.add(r.id);
      // Every proof a node holds must be one the contract takes at a close or challenge.
      if ((r.t === 'out' || r.t === 'in') && r.locks.length > MAX_LOCKS)
        violation(
          'lock-limit',
          `n${node.index} holds a proof of ${r.channel.slice(0, 8)}/${r.asset} (${r.t === 'out' ? 'its own' : "its peer's"}, nonce ${r.proof.nonce}) with ${r.locks.length} pending locks, more than the contract takes (${MAX_LOCKS})`,
        );
    }
    node.durable.push(...records);
    node.fold.add(records, sched.now);
    node.sinceCheckpoint += records.length;
    if (node.sinceCheckpoint < CHECKPOINT_RECORDS) return;
    node.checkpoint = { records: node.fold.records(sched.now), upTo: node.durable.length };
    node.sinceCheckpoint = 0;
  }

  function restart(node: SimNode): void {
    if (node.up) return;
    // The newest checkpoint and the records after it, folded again as the channel node does at start.
    const cp = options.noCheckpoints ? null : node.checkpoint;
    const after = node.durable.slice(cp?.upTo ?? 0);
    const restore = cp ? [...cp.records, ...after] : node.durable;
    if (cp) checkpointRestarts++;
    node.fold = new RecordFold();
    node.fold.add(restore, sched.now);
    node.sinceCheckpoint = after.length;
    node.machine = makeMachine(node.account, restore);
    node.up = true;
    trace(`n${node.index} restarts from ${node.durable.length} record(s)`);
    // Acknowledgements are re-derived from the log.
    node.acked = new Map();
    for (const r of node.durable) if (r.t === 'in') node.acked.set(`${r.channel}/${r.asset}`, r.proof.nonce);
    // A restarted node reads the chain again: the preimage registry and its channels' states.
    for (const [key, value] of chain.store.scan('channels/preimage/')) {
      const p = value as { preimage: Uint8Array; time: number };
      node.backlog.push({
        t: 'preimage',
        hashlock: key.slice('channels/preimage/'.length),
        preimage: p.preimage,
        time: p.time,
      });
    }
    for (const [id, [x, y]] of channelPeers) {
      if (x !== node.index && y !== node.index) continue;
      const c = channelOf(chain.store, id);
      if (c?.closing)
        node.backlog.push({ t: 'closing', channel: id, by: c.closing.by, deadline: c.closing.deadline });
      // Settled with no close on record: both signed (nothing to withdraw).
      if (c?.status === 'settled')
        node.backlog.push({ t: 'settled', channel: id, ...(!c.closing && { cooperative: true }) });
    }
    flushBacklog(node);
    run(node);
  }

  function flushBacklog(node: SimNode): void {
    if (!node.up || !node.online) return;
    const backlog = node.backlog;
    node.backlog = [];
    for (const ev of backlog) node.machine.chainEvent(ev);
    run(node);
  }

  // ------------------------------------------------------------------------------ the run
  // Block 1: every channel opened by its first party with 1–3 assets; block 2: the other party deposits.
  const channelAssets = new Map<string, string[]>();
  for (const [x, y] of edges) {
    const a = nodes[x]!;
    const b = nodes[y]!;
    const assets = topo
      .shuffle([...ASSETS])
      .slice(0, topo.range(1, 3))
      .sort();
    const action: Action = {
      contract: 'channels',
      name: 'open',
      params: {
        peer: b.account.address,
        peerKey: b.account.publicKey,
        disputeMs: DISPUTE_MS,
        deposits: assets.map((symbol) => ({ symbol, amount: BigInt(topo.range(2_000, 12_000)) })),
      } as never,
    };
    chain.submit(a.account, action);
    channelAssets.set(`${x}-${y}`, assets);
  }
  sched.at(start + BLOCK_MS, () => {
    const { events, problems } = chain.block(sched.now);
    blocks++;
    for (const p of problems) violation('conservation', p);
    for (const e of events) {
      if (e.contract !== 'channels' || e.name !== 'opened') continue;
      const attrs = e.attrs as Record<string, unknown>;
      const id = attrs.id as string;
      const x = byAddress.get(attrs.a as string)!;
      const y = byAddress.get(attrs.b as string)!;
      channelPeers.set(id, [x, y]);
      const assets = channelAssets.get(`${x}-${y}`)!;
      chain.submit(nodes[y]!.account, {
        contract: 'channels',
        name: 'deposit',
        params: {
          channel: id,
          deposits: assets.map((symbol) => ({ symbol, amount: BigInt(topo.range(2_000, 12_000)) })),
        } as never,
      });
    }
    for (const e of events) onChainEvent(e);
  });
  sched.at(start + 2 * BLOCK_MS, () => {
    produceBlock();
    for (const [id, [x, y]] of channelPeers) {
      const c = channelOf(chain.store, id)!;
      for (const [symbol, d] of Object.entries(c.assets))
        graph.addChannel(id, accounts[x]!.address, accounts[y]!.address, symbol, d.depositA + d.depositB);
    }
  });

  const payStart = start + 3 * BLOCK_MS;
  const payEnd = payStart + pays.range(3_000, 8_000);
  const endPhase = payEnd + 5 * HOP_DELTA_MS;

  // Blocks and ticks.
  const blockLoop = () => {
    produceBlock();
    // Watchers put preimages on chain before their locks expire.
    for (const node of nodes) {
      if (!node.watcher) continue;
      for (const action of node.watcher.tick(sched.now, onChainTime))
        chain.submit(node.account, {
          contract: 'channels',
          name: action.name,
          params: action.params as never,
        });
    }
    if (sched.now < horizon) sched.at(sched.now + BLOCK_MS, blockLoop);
  };
  let horizon = endPhase + 60_000;
  sched.at(start + 3 * BLOCK_MS, blockLoop);
  for (const node of nodes) {
    const offset = faults.range(0, TICK_MS - 1);
    const loop = () => {
      tickNode(node);
      if (sched.now < horizon) sched.at(sched.now + TICK_MS, loop);
    };
    sched.at(payStart + offset, loop);
  }

  // Payments: direct to a neighbour about 80 % of the time, otherwise routed over 2–4 hops.
  // Some arrive in bursts from one payer at one instant: they go out as one batch under one proof.
  const paymentCount = pays.range(60, 250);
  let seq = 0;
  for (let k = 0; k < paymentCount; k++) {
    const at = payStart + pays.int(payEnd - payStart);
    const burst = pays.chance(0.25) ? pays.range(5, 40) : 1;
    const payer = pays.int(n);
    for (let b = 0; b < burst; b++) sched.at(at, () => pay(payer));
  }
  function pay(payer: number): void {
    {
      const node = nodes[payer]!;
      const asset = pays.pick(ASSETS);
      const amount = BigInt(pays.range(1, 800));
      const id = `p${seq++}`;
      if (!node.up || !node.online) return;
      const direct = pays.chance(0.8);
      const neighbours = [...channelPeers.entries()]
        .filter(([cid, [x, y]]) => (x === payer || y === payer) && node.machine.statusOf(cid) === 'open')
        .map(([, [x, y]]) => (x === payer ? y : x));
      let payee: number;
      let route: string[] | null;
      if (direct && neighbours.length > 0) {
        payee = pays.pick(neighbours);
        route = [accounts[payee]!.address];
      } else {
        payee = pays.int(n);
        if (payee === payer) return;
        route =
          graph.route(accounts[payer]!.address, accounts[payee]!.address, asset, amount, 4)?.path ?? null;
        if (!route) return;
      }
      const p: Payment = { id, payer, payee, asset, amount, hops: route.length, createdAt: sched.now };
      payments.set(id, p);
      let hashlock: string | undefined;
      if (route.length > 1) {
        const payeeNode = nodes[payee]!;
        if (!payeeNode.up) {
          payments.delete(id);
          return;
        }
        const preimage = utf8(`${options.seed}/${id}/${pays.next()}`);
        hashlock = payeeNode.machine.addInvoice(preimage);
        run(payeeNode);
      }
      trace(`n${payer} pays ${id}: ${amount} ${asset} to n${payee} via ${route.length} hop(s)`);
      node.machine.pay({ id, asset, amount, route, ...(hashlock !== undefined && { hashlock }) });
      run(node);
    }
  }

  // Faults: crashes (with writes in flight), offline periods; a cheater closes with an old state while its
  // peer is offline.
  const crashCount = Math.round(faults.range(0, 4) * (options.crashiness ?? 1));
  for (let k = 0; k < crashCount; k++) {
    const node = nodes[faults.int(n)]!;
    const at = payStart + faults.int(payEnd - payStart);
    sched.at(at, () => crash(node));
    sched.at(at + faults.range(50, 2_000), () => restart(node));
  }
  const offlineCount = faults.range(0, 2);
  for (let k = 0; k < offlineCount; k++) {
    const node = nodes[faults.int(n)]!;
    const at = payStart + faults.int(payEnd - payStart);
    sched.at(at, () => {
      node.online = false;
      trace(`n${node.index} goes offline`);
    });
    sched.at(at + faults.range(500, 2 * DISPUTE_MS), () => {
      node.online = true;
      trace(`n${node.index} is back online`);
      flushBacklog(node);
    });
  }
  if (cheat) {
    const cheater = nodes[0]!;
    const at = payStart + Math.floor((payEnd - payStart) * 0.6);
    sched.at(at, () => {
      const candidates = [...channelPeers.entries()].filter(([, [x, y]]) => x === 0 || y === 0);
      const [cid, [x, y]] = faults.pick(candidates);
      const victim = nodes[x === 0 ? y : x]!;
      victim.online = false;
      trace(`victim n${victim.index} goes offline`);
      sched.at(at + 50, () => {
        if (!cheater.up) return;
        const side = x === 0 ? 'a' : 'b';
        // Only states without locks: their lock lists went with the cheater's honest machine.
        const proofs = [...cheater.history.entries()]
          .filter(([key, held]) => key.startsWith(`${cid}/`) && held.proof.locked === 0n)
          .map(([, held]) => proofParams(held.proof.asset, side, held.proof, [], held.countersignature));
        cheats++;
        trace(`cheater n0 closes ${cid.slice(0, 8)} with ${proofs.length} old proof(s)`);
        chain.submit(cheater.account, {
          contract: 'channels',
          name: 'close',
          params: { channel: cid, proofs } as never,
        });
      });
      sched.at(at + 2 * DISPUTE_MS, () => {
        victim.online = true;
        trace(`victim n${victim.index} is back online`);
        flushBacklog(victim);
      });
    });
  }

  // A lock flood (griefing): the griefer's neighbour and that neighbour's other peers send the griefer
  // bursts of small hash-locked payments, which it holds until they expire: more locks in all than one
  // balance proof may carry on the neighbour's channel to the griefer. The neighbour must refuse the
  // locks beyond MAX_LOCKS (its own payments fail at once, forwards are failed upstream at once) and never
  // sign a proof the contract would refuse.
  const flooding = rng.fork('flood');
  if (grief && flooding.chance(0.6)) {
    const at = payStart + flooding.int(Math.floor((payEnd - payStart) / 2));
    sched.at(at, () => {
      const griefer = n - 1;
      const hub = n - 2;
      const channelOfPair = (x: number, y: number) =>
        [...channelPeers.entries()].find(
          ([id, [p, q]]) =>
            ((p === x && q === y) || (p === y && q === x)) && nodes[x]!.machine.statusOf(id) === 'open',
        )?.[0];
      const last = channelOfPair(hub, griefer);
      if (!last) return;
      const assets = Object.keys(channelOf(chain.store, last)!.assets).sort();
      const asset = flooding.pick(assets);
      floods++;
      let k = 0;
      const send = (payer: number, route: string[], count: number) => {
        const node = nodes[payer]!;
        if (!node.up || !node.online) return;
        trace(`n${payer} floods n${griefer} with ${count} lock(s) of ${asset} via ${route.length} hop(s)`);
        for (let c = 0; c < count; c++) {
          const id = `f${k++}`;
          const amount = BigInt(flooding.range(1, 3));
          payments.set(id, {
            id,
            payer,
            payee: griefer,
            asset,
            amount,
            hops: route.length,
            createdAt: sched.now,
          });
          const hashlock = hashlockOf(suite, utf8(`${options.seed}/${id}/flood`));
          node.machine.pay({ id, asset, amount, route, hashlock });
        }
        run(node);
      };
      // The neighbour's other peers with the asset, then the neighbour itself.
      const upstream = [...channelPeers.entries()]
        .filter(([, [x, y]]) => (x === hub || y === hub) && x !== griefer && y !== griefer)
        .filter(([id]) => channelOf(chain.store, id)!.assets[asset] !== undefined)
        .map(([, [x, y]]) => (x === hub ? y : x));
      for (const payer of [...new Set(upstream)].slice(0, 2))
        send(payer, [accounts[hub]!.address, accounts[griefer]!.address], flooding.range(60, 100));
      send(hub, [accounts[griefer]!.address], flooding.range(40, 80));
    });
  }

  // End phase: everyone up and online; after the last lock could expire, every channel closes and settles.
  sched.at(payEnd + 1, () => {
    for (const node of nodes) {
      if (!node.up) restart(node);
      node.online = true;
      flushBacklog(node);
    }
  });
  // Half the channels (by their id) close together, the others alone.
  sched.at(endPhase, () => {
    for (const [id, [x, y]] of channelPeers) {
      let sum = 0;
      for (let k = 0; k < id.length; k++) sum += id.charCodeAt(k);
      const together = sum % 2 === 0;
      const node = nodes[together ? y : x]!;
      if (node.machine.statusOf(id) !== 'open') continue;
      if (together) node.machine.closeCooperatively(id);
      else node.machine.close(id);
      run(node);
    }
  });

  // Run until every channel is withdrawn by both parties or the horizon.
  let t = start;
  const allDone = () =>
    [...channelPeers.keys()].every((id) => {
      const c = channelOf(chain.store, id);
      return c?.status === 'settled' && c.withdrawnA === true && c.withdrawnB === true;
    });
  while (t < horizon) {
    t += 1_000;
    sched.runUntil(t);
    if (t > endPhase && allDone() && chain.backlog === 0) {
      horizon = t;
      break;
    }
  }

  // ------------------------------------------------------------------------------ final checks
  if (!allDone()) {
    const open = [...channelPeers.keys()].filter((id) => {
      const c = channelOf(chain.store, id);
      return !(c?.status === 'settled' && c.withdrawnA && c.withdrawnB);
    });
    violation(
      'stuck',
      `${open.length} channel(s) not settled and withdrawn by the horizon (${open.map((id) => channelOf(chain.store, id)?.status).join(', ')})`,
    );
  }
  for (const [symbol, supply] of supplies) {
    let total = 0n;
    for (const [, value] of chain.store.scan(`assets/bal/${symbol}/`))
      total += BigInt(value as number | bigint);
    const locked = BigInt((chain.store.get(`assets/locked/${symbol}`) as number | bigint | undefined) ?? 0);
    if (total + locked !== supply)
      violation('conservation', `${symbol}: balances ${total} + locked ${locked} != supply ${supply}`);
  }
  let started = 0;
  let completed = 0;
  let failed = 0;
  let refused = 0;
  let notStarted = 0;
  const expected = new Map(initial);
  for (const p of payments.values()) {
    const payerRole = nodes[p.payer]!.role;
    const payeeRole = nodes[p.payee]!.role;
    if (p.started === undefined) {
      if (p.failed === undefined) notStarted++;
      else refused++;
      if (p.failed === undefined && recorded.has(p.id) && nodes[p.payer]!.role === 'honest')
        violation(
          'unresolved',
          `payment ${p.id} was accepted (its record is in n${p.payer}'s log) but never started nor failed`,
        );
      if (p.received !== undefined) violation('inconsistent', `payment ${p.id} received but never started`);
      continue;
    }
    started++;
    if (p.completed !== undefined) completed++;
    else if (p.failed !== undefined) failed++;
    else if (payerRole === 'honest')
      violation('unresolved', `payment ${p.id} (${p.hops} hop(s)) neither completed nor failed`);
    const deadline = p.started + p.hops * HOP_DELTA_MS + GRACE_MS + (p.hops === 1 ? DISPUTE_MS * 4 : 0);
    const resolvedAt = p.completed ?? p.failed;
    if (payerRole === 'honest' && resolvedAt !== undefined && resolvedAt > deadline && p.hops > 1)
      violation('late', `payment ${p.id} resolved ${resolvedAt - deadline} ms after its expiry`);
    if (
      p.failed !== undefined &&
      p.received !== undefined &&
      payerRole === 'honest' &&
      payeeRole === 'honest'
    )
      violation('inconsistent', `payment ${p.id} failed for its payer but was received by its payee`);
    const payerKey = `${accounts[p.payer]!.address}/${p.asset}`;
    const payeeKey = `${accounts[p.payee]!.address}/${p.asset}`;
    if (p.failed === undefined) expected.set(payerKey, expected.get(payerKey)! - p.amount);
    if (p.received !== undefined) expected.set(payeeKey, expected.get(payeeKey)! + p.amount);
  }
  for (const node of nodes) {
    if (node.role !== 'honest') continue;
    for (const symbol of ASSETS) {
      const key = `${node.account.address}/${symbol}`;
      const held = BigInt(
        (chain.store.get(`assets/bal/${symbol}/${node.account.address}`) as number | bigint | undefined) ?? 0,
      );
      if (held < expected.get(key)!)
        violation(
          'honest-loss',
          `honest n${node.index} holds ${held} ${symbol}, at least ${expected.get(key)} expected`,
        );
    }
  }
  const failures = [...chain.failures.entries()].filter(
    ([k]) =>
      !k.startsWith('channels.challenge:') &&
      !k.startsWith('channels.settle:not_allowed') &&
      !k.startsWith('channels.revealPreimage:already_exists'),
  );
  for (const [k, count] of failures)
    if (!/^channels\.(withdraw:(not_allowed|already_exists)|close:not_allowed)$/.test(k))
      violation('stuck', `${count} tx(s) failed: ${k}`);

  let batches = 0;
  let ops = 0;
  let writes = 0;
  for (const node of nodes) {
    lockLimitRefusals += node.machine.counters.lockLimitRefusals;
    unsentAtRestart += node.machine.counters.unsentAtRestart;
  }
  let challenges = 0;
  let reveals = 0;
  for (const node of nodes) {
    batches += node.machine.counters.batchesSent;
    ops += node.machine.counters.opsSent;
    writes += node.machine.counters.writes;
    challenges += node.watcher?.challenges ?? 0;
    reveals += node.watcher?.reveals ?? 0;
  }
  const traceHash = toHex(suite.hash(utf8(traceParts.join('\n'))));
  return {
    seed: options.seed,
    violations,
    nodes: n,
    channels: channelPeers.size,
    payments: { started, completed, failed, refused, notStarted },
    batches,
    ops,
    writes,
    crashes,
    checkpointRestarts,
    floods,
    lockLimitRefusals,
    unsentAtRestart,
    cheats,
    challenges,
    settledTogether,
    settledAlone,
    reveals,
    blocks,
    simMs: horizon - start,
    traceHash,
  };
}
