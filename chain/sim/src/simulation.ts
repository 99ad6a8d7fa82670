// One simulated run, entirely determined by its options (seed, configuration): N validators on a faulty
// network for a fault phase, then a calm phase in which liveness is required. Single-threaded and
// event-driven: no real clock, no Math.random, no real timers; the same options replay byte for byte.
//
// Two drivers: 'sim' runs every validator with the simulator's own driver (node.ts); 'node' runs the
// honest validators as the production ChainNode (replica.ts) and the byzantine ones with the simulator's
// driver, which can equivocate. ChainNode is asynchronous (promises), so that run is too: after each
// event the promise jobs it set off run to completion before the next event (nothing else can be
// pending, since every timer and I/O is simulated), which keeps it deterministic.

import type { ConsensusMessage, Timeouts } from '@gongxin/consensus';
import { blockHash, genesisHash, nonceOf, toHex } from '@gongxin/ledger';
import { signedTx } from '@gongxin/ledger/testing';
import { defaultPeerLimits } from '@gongxin/node';
import { Checker, type ViolationKind } from './checker';
import { simSuite } from './crypto';
import { buildHistory, type History, heldChain } from './history';
import { count, type FaultCounts, type LinkProfile, Network } from './network';
import { SimNode } from './node';
import type { SimPeer } from './peer';
import { fnv1a, Rng } from './prng';
import { ReplicaNode } from './replica';
import { defaultByzantine, drawScenario, type Scenario, type SimOptions } from './scenario';
import { Scheduler } from './scheduler';
import { Trace } from './trace';
import { CHAIN_ID, createWorld, GENESIS_TIME, TxGenerator, type World } from './world';

export type { SimOptions } from './scenario';

export interface Violation {
  kind: ViolationKind;
  seed: number;
  config: string;
  /** Simulated ms since the start. */
  time: number;
  message: string;
  /** The last trace lines before the violation. */
  trace: string[];
}

export interface SimResult {
  seed: number;
  config: string;
  validators: number;
  byzantine: number[];
  violations: Violation[];
  /** SHA-256 over every trace line: equal for two runs of the same options. */
  traceHash: string;
  /** Final committed height of each node. */
  heights: number[];
  /** Lowest and highest final height among honest nodes. */
  honestMin: number;
  honestMax: number;
  faults: FaultCounts;
  simTimeMs: number;
  events: number;
  livenessMet: boolean;
  /** 'far-behind': how the cut-off validator caught up (null in other scenarios). */
  catchUp: CatchUpReport | null;
}

/** 'far-behind': what the cut-off validator's catch-up took. Wall times are for reports only. */
export interface CatchUpReport {
  node: number;
  /** Blocks of the history the others held, and how many of them the cut-off validator held. */
  history: number;
  prefix: number;
  /**
   * Blocks it gained through sync from its links' return until it caught up (or until the end): its head
   * then less its head when its links came back (counting blocks whose write landed at a crash unannounced).
   */
  synced: number;
  /** Its head when it caught up (the others' highest head then); null if it never did. */
  caughtUpHeight: number | null;
  /** From its links' return until it caught up: simulated and wall time (ms); null if it never did. */
  simMs: number | null;
  wallMs: number | null;
  /** The first height it decided through consensus after the catch-up; null if none. */
  joinedHeight: number | null;
  /** Wall time the history took to build before the run (ms). */
  historyWallMs: number;
}

/** Blocks per sync answer: production's for a long catch-up ('far-behind'), else fewer (short chains). */
export const SHORT_SYNC_BATCH = 20;

/**
 * 'far-behind': simulated time the catch-up may take after the fault phase, on top of the usual liveness
 * window. BlockSync keeps one request out at a time, so a catch-up of `blocks` takes ⌈blocks / batch⌉
 * answers one after another. Each costs at most a round trip at the calm network's worst delay without
 * tail (2 × (min delay + jitter)), plus the expected tail (2 × tail chance × longest tail), plus the time
 * lost to loss: a request or its answer is lost with p = 1 − (1 − drop)², which costs a sync timeout,
 * p / (1 − p) times per answer on average; twice that is allowed. Heights the others decide meanwhile are
 * few (about one per second against a hundred blocks per answer) and fit in the usual window.
 */
export function catchUpAllowanceMs(
  blocks: number,
  batch: number,
  calm: LinkProfile,
  syncTimeoutMs: number,
): number {
  const answers = Math.ceil(blocks / batch);
  const lost = 1 - (1 - calm.drop) ** 2;
  const perAnswer =
    2 * (calm.minDelayMs + calm.jitterMs) +
    2 * calm.tailChance * calm.tailMaxMs +
    (2 * lost * syncTimeoutMs) / (1 - lost);
  return Math.ceil(answers * perAnswer);
}

export const SIM_TIMEOUTS: Timeouts = { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, deltaMs: 250 };

export function configLabel(validators: number, byzantine: number): string {
  return `${validators} validators / ${byzantine} byzantine`;
}

export class Simulation {
  readonly rng: Rng;
  /** Draws of the reactive adversary (fork-hunt). */
  private readonly adversary: Rng;
  readonly scheduler = new Scheduler();
  readonly scenario: Scenario;
  readonly world: World;
  readonly network: Network;
  readonly trace: Trace;
  readonly txs: TxGenerator;
  readonly nodes: SimPeer[];
  readonly checker: Checker;
  readonly faults: FaultCounts = {};
  readonly violations: Violation[] = [];
  readonly timeouts = SIM_TIMEOUTS;
  readonly commitDelayMs = 100;
  readonly gossipMs = 1000;
  /** ChainNode only: a write takes up to this long to be durable. */
  readonly writeLatencyMs = 5;
  /** ChainNode only: with no txs, a height starts after this long anyway. */
  readonly emptyBlockMs = 500;
  readonly driver: 'sim' | 'node';
  /** Simulated time 0 on the nodes' clocks (before skew): after genesis, or after the history built before the run. */
  readonly clockBase: number;
  /** Blocks per sync answer. */
  readonly syncBatch: number;
  /** 'far-behind': the chain the others built before the run. */
  readonly history: History | null = null;
  readonly genesisHash: Uint8Array;
  readonly config: string;
  stopped = false;
  phase: 'faults' | 'liveness' = 'faults';
  private healHeight = 0;
  private livenessMet = false;
  private readonly livenessHeights: number;
  private readonly livenessWindowMs: number;
  private readonly keyIndex = new Map<string, number>();
  private readonly downFor = new Map<SimPeer, number>();
  /** Ids of the partitions that heal by the end of the fault phase. */
  private readonly temporary = new Set<number>();
  /** Heights whose first honest committer the fork-hunt adversary already considered isolating. */
  private readonly isolatedHeights = new Set<number>();
  /** 'far-behind': the catch-up as it happens (times of the links' return, simulated and wall). */
  private catchUp:
    | (CatchUpReport & { healedAt: number | null; healedWall: number; healedHeight: number })
    | null = null;

  constructor(readonly options: SimOptions) {
    this.rng = new Rng(options.seed, 0x0de1);
    this.adversary = this.rng.fork('adversary');
    this.scenario = drawScenario(options);
    this.world = createWorld(simSuite(options.realCrypto === true), this.scenario.powers);
    this.genesisHash = genesisHash(this.world.suite, this.world.genesis);
    this.config = configLabel(options.validators, this.scenario.byzantine.length);
    this.trace = new Trace(options.reportLines ?? 120, options.onTrace);
    this.network = new Network(
      this.scheduler,
      this.rng.fork('network'),
      this.scenario.faultNetwork,
      this.faults,
    );
    this.network.classDrop = { ...this.scenario.classDrop };
    if (this.scenario.blindPrevoteDrop > 0) {
      const honest = this.scenario.powers
        .map((_, i) => i)
        .filter((i) => !this.scenario.byzantine.includes(i));
      const p = this.scenario.blindPrevoteDrop;
      this.network.targetedDrop = (messageClass, _from, to, height) => {
        if (messageClass !== 'prevote' || this.phase !== 'faults') return undefined;
        return to === honest[fnv1a(`${options.seed}/${height}`) % honest.length] ? p : undefined;
      };
    }
    this.txs = new TxGenerator(this.world, this.rng.fork('txs'));
    for (const v of this.world.validators) this.keyIndex.set(toHex(v.account.publicKey), v.index);
    this.driver = options.driver ?? 'sim';
    this.nodes = this.scenario.powers.map((_, i) => {
      const byzantine = this.scenario.byzantine.includes(i);
      return this.driver === 'node' && !byzantine
        ? new ReplicaNode(this, i)
        : new SimNode(this, i, byzantine);
    });
    this.checker = new Checker(this);
    this.livenessHeights = options.livenessHeights ?? 3;
    const far = this.scenario.farBehind;
    this.syncBatch = far ? defaultPeerLimits.syncBatchBlocks : SHORT_SYNC_BATCH;
    this.livenessWindowMs =
      options.livenessWindowMs ??
      60_000 +
        (far
          ? catchUpAllowanceMs(
              far.blocks,
              this.syncBatch,
              this.scenario.calmNetwork,
              defaultPeerLimits.syncTimeoutMs,
            )
          : 0);
    this.clockBase = GENESIS_TIME + 10_000;
    if (far) {
      // The chain the others built while the cut-off validator was away, on every disk but its own,
      // which holds a prefix. The run's clocks start after its last block.
      const history = buildHistory(this.world, this.rng.fork('history'), {
        blocks: far.blocks,
        absent: far.node,
        prefix: far.prefix,
      });
      this.history = history;
      this.clockBase = history.lastTime + 10_000;
      for (const node of this.nodes)
        node.adopt(heldChain(history, node.index === far.node ? 'prefix' : 'all'));
      this.catchUp = {
        node: far.node,
        history: far.blocks,
        prefix: far.prefix,
        synced: 0,
        caughtUpHeight: null,
        simMs: null,
        wallMs: null,
        joinedHeight: null,
        historyWallMs: history.wallMs,
        healedAt: null,
        healedWall: 0,
        healedHeight: 0,
      };
    }
  }

  validatorIndex(key: Uint8Array): number | undefined {
    return this.keyIndex.get(toHex(key));
  }

  log(line: string): void {
    this.trace.add(this.scheduler.now, line);
  }

  violation(kind: ViolationKind, message: string): void {
    if (this.stopped && this.violations.length > 0) return;
    this.log(`VIOLATION ${kind}: ${message}`);
    this.violations.push({
      kind,
      seed: this.options.seed,
      config: this.config,
      time: this.scheduler.now,
      message,
      trace: this.trace.recent(),
    });
    this.stopped = true;
  }

  summarize(message: ConsensusMessage): string {
    if (message.type === 'vote') {
      const v = message.vote;
      const hash = v.blockHash ? toHex(v.blockHash.subarray(0, 4)) : 'nil';
      return `${v.kind === 'prevote' ? 'PV' : 'PC'} ${v.height}/${v.round} ${hash} by n${this.validatorIndex(v.validator)}`;
    }
    const p = message.proposal;
    const hash = toHex(blockHash(this.world.suite, p.block.header).subarray(0, 4));
    return `PROP ${p.height}/${p.round} vr${p.validRound} ${hash} txs=${p.block.txs.length} by n${this.validatorIndex(p.proposer)}`;
  }

  // ------------------------------------------------------------------------------------ schedule

  private plan(): void {
    const s = this.scenario;
    const { scheduler, network } = this;
    this.log(
      `SCENARIO seed=${this.options.seed} ${this.config} powers=${s.powers.join(',')} byzantine=${s.byzantine.join(',') || '-'} ` +
        `faults=${s.faultPhaseMs}ms drop=${s.faultNetwork.drop.toFixed(3)} dup=${s.faultNetwork.duplicate.toFixed(3)} ` +
        `skews=${s.skews.join(',')} partitions=${s.partitions.length} crashes=${s.crashes.length}` +
        (this.options.ignoreLocks ? ' IGNORE-LOCKS' : '') +
        (this.options.noRegossip ? ' NO-REGOSSIP' : '') +
        (this.driver === 'node' ? ' DRIVER=ChainNode' : '') +
        ` profile=${s.kind} intensity=${s.intensity.toFixed(2)}` +
        (s.flapper !== null ? ` flapper=n${s.flapper}` : '') +
        (s.farBehind
          ? ` far-behind=n${s.farBehind.node} history=${s.farBehind.blocks} prefix=${s.farBehind.prefix}`
          : '') +
        (this.options.noSync ? ' NO-SYNC' : ''),
    );
    for (const [i, node] of this.nodes.entries()) scheduler.at(s.startAt[i]!, () => node.start());
    count(this.faults, 'clock-skew', s.skews.filter((k) => k !== 0).length);
    count(this.faults, 'byzantine', s.byzantine.length);

    if (s.permanentSplit) {
      const [a, b] = s.permanentSplit;
      network.cut(a, b);
      network.cut(b, a);
      count(this.faults, 'partition');
      this.log(`PARTITION for ever ${a.join(',')} | ${b.join(',')}`);
    }
    const temporary = this.temporary;
    const far = s.farBehind;
    if (far) {
      // Cut off since before the run; its links come back within the fault phase.
      const others = this.nodes.filter((n) => n.index !== far.node).map((n) => n.index);
      const ids = [network.cut([far.node], others), network.cut(others, [far.node])];
      for (const id of ids) temporary.add(id);
      count(this.faults, 'partition');
      this.log(
        `PARTITION n${far.node} <-/-> ${others.join(',')} (far behind: holds ${far.prefix} of ${far.blocks} blocks) ` +
          `for ${far.healAt}ms`,
      );
      scheduler.at(far.healAt, () => {
        if (!ids.some((id) => temporary.has(id))) return;
        for (const id of ids) {
          network.heal(id);
          temporary.delete(id);
        }
        this.log(
          `HEAL n${far.node}: it is ${this.nodes[far.node]!.height} high, the others up to ${this.othersHeight()}`,
        );
        this.catchUpStarted();
      });
    }
    for (const p of s.partitions) {
      scheduler.at(p.at, () => {
        if (this.phase !== 'faults') return;
        const [a, b] = p.groups;
        const ids = [network.cut(a, b)];
        if (!p.oneWay) ids.push(network.cut(b, a));
        for (const id of ids) temporary.add(id);
        count(this.faults, p.oneWay ? 'partition-one-way' : 'partition');
        this.log(
          `PARTITION ${a.join(',')} ${p.oneWay ? '-/->' : '<-/->'} ${b.join(',')} for ${p.durationMs}ms`,
        );
        scheduler.after(p.durationMs, () => {
          if (!ids.some((id) => temporary.has(id))) return;
          for (const id of ids) {
            network.heal(id);
            temporary.delete(id);
          }
          this.log(`HEAL ${a.join(',')} ${p.oneWay ? '-/->' : '<-/->'} ${b.join(',')}`);
        });
      });
    }
    for (const c of s.crashes) {
      scheduler.at(c.at, () => {
        const node = this.nodes[c.node]!;
        if (this.phase !== 'faults' || !node.up || node.armed) return;
        this.downFor.set(node, c.downMs);
        if (c.midBatch) {
          node.armCrash();
          // If no batch of two or more outputs comes soon, crash anyway.
          const epoch = node.epoch;
          scheduler.after(2000, () => {
            if (node.epoch === epoch && node.armed && this.phase === 'faults') {
              node.crash('armed-timeout');
              this.scheduleRestart(node);
            }
          });
        } else {
          node.crash('crash');
          this.scheduleRestart(node);
        }
      });
    }
    const reconfig = s.reconfig;
    if (reconfig) {
      scheduler.at(reconfig.at, () => {
        const { governor } = this.world;
        const tx = signedTx(this.world.suite, CHAIN_ID, governor, 0, [
          { contract: 'governance', name: 'setPowers', params: { powers: reconfig.powers } },
        ]);
        // Proposers (and clients of the ChainNode replicas) carry it until it is in a block.
        this.txs.urgent = { tx, done: (state) => nonceOf(state, governor.address) > 0 };
        count(this.faults, 'reconfig');
        this.log(
          `RECONFIG powers ${reconfig.powers.join(',')} submitted while n${reconfig.isolated} is cut off`,
        );
      });
    }
    if (this.driver === 'node') this.scheduleLoad(this.rng.fork('load'));
    scheduler.at(s.faultPhaseMs, () => this.heal(temporary));
    scheduler.at(s.faultPhaseMs + this.livenessWindowMs, () => this.deadline());
  }

  scheduleRestart(node: SimPeer): void {
    const epoch = node.epoch;
    this.scheduler.after(this.downFor.get(node) ?? 1000, () => {
      if (node.epoch === epoch && !node.up) node.restart();
    });
  }

  /** End of the fault phase: heal every temporary partition, calm the network, bring everyone back. */
  private heal(temporary: Set<number>): void {
    this.phase = 'liveness';
    for (const id of temporary) this.network.heal(id);
    temporary.clear();
    this.catchUpStarted();
    this.network.profile = this.scenario.calmNetwork;
    this.network.classDrop = {};
    this.network.targetedDrop = null;
    for (const node of this.nodes) {
      if (!node.up) node.restart();
      else node.disarm();
    }
    this.healHeight = Math.max(...this.honest().map((n) => n.height));
    this.log(
      `FAULT PHASE OVER: heights ${this.nodes.map((n) => `${n.name}=${n.height}`).join(' ')}; ` +
        `every honest node must reach ${this.healHeight + this.livenessHeights}`,
    );
    this.onHonestCommit();
  }

  private honest(): SimPeer[] {
    return this.nodes.filter((n) => !n.byzantine);
  }

  /** 'far-behind': the cut-off validator's links are back; the catch-up starts. */
  private catchUpStarted(): void {
    const c = this.catchUp;
    if (!c || c.healedAt !== null) return;
    c.healedAt = this.scheduler.now;
    c.healedWall = performance.now();
    c.healedHeight = this.nodes[c.node]!.height;
  }

  /** The highest head among the honest validators other than the far-behind one. */
  private othersHeight(): number {
    const far = this.scenario.farBehind?.node;
    return Math.max(
      0,
      ...this.honest()
        .filter((n) => n.index !== far)
        .map((n) => n.height),
    );
  }

  /** 'far-behind': the cut-off validator committed; has it caught up, has it joined consensus? */
  private trackCatchUp(node: SimPeer, via: string): void {
    const c = this.catchUp;
    if (!c || node.index !== c.node || c.healedAt === null) return;
    if (c.caughtUpHeight === null) {
      c.synced = node.height - c.healedHeight;
      const others = this.othersHeight();
      if (node.height >= others) {
        c.caughtUpHeight = node.height;
        c.simMs = this.scheduler.now - c.healedAt;
        c.wallMs = performance.now() - c.healedWall;
        this.log(`CAUGHT UP ${node.name} at ${node.height}: ${c.synced} blocks synced in ${c.simMs}ms`);
      }
    }
    if (via === 'consensus' && c.caughtUpHeight !== null && c.joinedHeight === null) {
      c.joinedHeight = node.height;
      this.log(`JOINED ${node.name} decides ${node.height} through consensus`);
    }
  }

  /** A node committed: the fork-hunt adversary may now cut it off before the others learn of it. */
  onCommitted(node: SimPeer, via: string): void {
    this.trackCatchUp(node, via);
    const p = this.scenario.isolateCommitter;
    if (p === 0 || via !== 'consensus' || node.byzantine || this.phase !== 'faults') return;
    const height = node.height;
    if (this.isolatedHeights.has(height)) return;
    this.isolatedHeights.add(height);
    if (!this.adversary.chance(p)) return;
    const others = this.nodes.filter((n) => n !== node).map((n) => n.index);
    const ids = [this.network.cut([node.index], others), this.network.cut(others, [node.index])];
    for (const id of ids) this.temporary.add(id);
    const duration = this.adversary.range(2000, 6000);
    count(this.faults, 'isolate-committer');
    this.log(`PARTITION isolate ${node.name} after its commit, for ${duration}ms`);
    this.scheduler.after(duration, () => {
      if (!ids.some((id) => this.temporary.has(id))) return;
      for (const id of ids) {
        this.network.heal(id);
        this.temporary.delete(id);
      }
      this.log(`HEAL ${node.name}`);
    });
  }

  onHonestCommit(): void {
    if (this.phase !== 'liveness' || this.livenessMet) return;
    const target = this.healHeight + this.livenessHeights;
    // A far-behind validator must also have joined consensus, not only synced past the target.
    const joined = this.catchUp === null || this.catchUp.joinedHeight !== null;
    if (joined && this.honest().every((n) => n.height >= target)) {
      this.livenessMet = true;
      this.log(`LIVENESS OK: every honest node reached ${target}`);
      this.stopped = true;
    }
  }

  private deadline(): void {
    if (this.livenessMet) return;
    const target = this.healHeight + this.livenessHeights;
    this.violation(
      'liveness',
      `${this.livenessWindowMs} ms after the fault phase, honest nodes are at ` +
        this.honest()
          .map((n) => `${n.name}=h${n.height}/r${n.round}`)
          .join(' ') +
        `; all had to reach ${target}` +
        (this.catchUp ? `; far-behind ${this.describeCatchUp(this.catchUp)}` : '') +
        `. ${this.nodes.map((n) => n.describe()).join('; ')}`,
    );
  }

  private describeCatchUp(c: CatchUpReport): string {
    const node = this.nodes[c.node]!;
    if (c.caughtUpHeight === null)
      return `n${c.node} never caught up (at ${node.height}, the others up to ${this.othersHeight()}, ${c.synced} blocks synced)`;
    return (
      `n${c.node} caught up at ${c.caughtUpHeight} (${c.synced} blocks synced) and ` +
      (c.joinedHeight === null ? 'never decided a height through consensus' : `joined at ${c.joinedHeight}`)
    );
  }

  /**
   * Clients of the ChainNode replicas: now and then, a few txs (drawn like the simulator's proposers draw
   * theirs) are submitted to one running honest node, which admits them to its mempool and gossips them.
   */
  private scheduleLoad(rng: Rng): void {
    this.scheduler.after(200 + rng.int(400), () => {
      if (this.stopped) return;
      const running = this.nodes.filter(
        (n): n is ReplicaNode => n instanceof ReplicaNode && n.up && n.chainNode?.head !== undefined,
      );
      if (running.length > 0) {
        const node = rng.pick(running);
        for (const tx of this.txs.txsFor(node.chainNode!.stateView))
          count(this.faults, node.submit(tx) ? 'tx-submitted' : 'tx-refused');
      }
      this.scheduleLoad(rng);
    });
  }

  /** Run with the simulator's own driver (synchronous); the ChainNode driver needs `runAsync`. */
  run(): SimResult {
    if (this.driver === 'node') throw new Error('the ChainNode driver runs asynchronously: use runAsync');
    this.plan();
    const limit = this.scenario.faultPhaseMs + this.livenessWindowMs + 1;
    while (!this.stopped && this.scheduler.step(limit)) {}
    return this.finish();
  }

  async runAsync(): Promise<SimResult> {
    if (this.driver === 'sim') return this.run();
    this.plan();
    const limit = this.scenario.faultPhaseMs + this.livenessWindowMs + 1;
    while (!this.stopped && this.scheduler.step(limit)) await settled();
    return this.finish();
  }

  private finish(): SimResult {
    if (this.violations.length === 0) this.checker.audit();
    const honest = this.honest().map((n) => n.height);
    return {
      seed: this.options.seed,
      config: this.config,
      validators: this.options.validators,
      byzantine: this.scenario.byzantine,
      violations: this.violations,
      traceHash: this.trace.digest(),
      heights: this.nodes.map((n) => n.height),
      honestMin: Math.min(...honest),
      honestMax: Math.max(...honest),
      faults: this.faults,
      simTimeMs: this.scheduler.now,
      events: this.scheduler.processed,
      livenessMet: this.livenessMet,
      catchUp: this.catchUp
        ? {
            node: this.catchUp.node,
            history: this.catchUp.history,
            prefix: this.catchUp.prefix,
            synced: this.catchUp.synced,
            caughtUpHeight: this.catchUp.caughtUpHeight,
            simMs: this.catchUp.simMs,
            wallMs: this.catchUp.wallMs,
            joinedHeight: this.catchUp.joinedHeight,
            historyWallMs: this.catchUp.historyWallMs,
          }
        : null,
    };
  }
}

function checkOptions(options: SimOptions): void {
  if (!Number.isSafeInteger(options.seed) || options.seed < 0)
    throw new Error('seed must be a safe integer ≥ 0');
  if (options.validators < 1) throw new Error('need at least one validator');
}

/** One run with the simulator's own driver. */
export function runSimulation(options: SimOptions): SimResult {
  checkOptions(options);
  return new Simulation(options).run();
}

/** One run with either driver (`options.driver`). */
export function runSimulationAsync(options: SimOptions): Promise<SimResult> {
  checkOptions(options);
  return new Simulation(options).runAsync();
}

/** Resolves once every promise job queued so far, and every one those queue, has run. */
function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export { defaultByzantine };
