// A run's scenario: who is byzantine and how, clocks, the network during and after the fault phase, and
// the schedule of partitions and crashes. All of it is drawn from the seed (stream "scenario"), so a seed
// names one exact run. Byzantine validators are chosen so their power stays below a third of the total.
import { isQuorum } from '@gongxin/ledger';
import type { LinkProfile } from './network';
import { Rng } from './prng';

export interface SimOptions {
  seed: number;
  /** Number of validators (4 and 7 are the standard configurations). */
  validators: number;
  /** How many are byzantine; default f = ⌊(n−1)/3⌋. Capped so their power stays below a third. */
  byzantine?: number;
  /** Draw unequal voting powers (1–10) instead of equal ones. */
  unequalPowers?: boolean;
  /** Real Ed25519 instead of the fast simulation suite. */
  realCrypto?: boolean;
  /** Test-only machine defect on honest nodes: prevote ignoring locks. */
  ignoreLocks?: boolean;
  /** Length of the fault phase; drawn from the seed when absent. */
  faultPhaseMs?: number;
  /** After the fault phase, every honest node must commit this many heights past the highest one... */
  livenessHeights?: number;
  /** ...within this much simulated time. */
  livenessWindowMs?: number;
  /**
   * Targeted scenarios: 'random' (default) draws a general fault mix; 'fork-hunt' starves precommits and
   * prevotes with selective loss (to exercise lock safety); 'stuck' splits the validators into two
   * halves for ever, so that no side has two thirds (liveness must fail); 'crashy' crashes often;
   * 'flapping', 'reconfig' and 'far-behind' are named failure modes (see ScenarioKind).
   */
  scenario?: ScenarioKind;
  /** 'far-behind': how many blocks the others built while the cut-off validator was away (default 100,000). */
  behind?: number;
  /** Test-only durability defect: a restarted node loses its last committed block. */
  loseLastCommitOnRestart?: boolean;
  /**
   * Test-only driver defect: the periodic re-gossip never fires (a stalled node never sends again the
   * messages it holds), so messages lost in the fault phase are lost for good; the liveness checker
   * must notice.
   */
  noRegossip?: boolean;
  /**
   * Test-only driver defect: block sync never asks (ChainNode's adapter drops what BlockSync requests, the
   * simulator's driver skips its requests), so a node that fell behind stays behind; the liveness checker
   * must notice.
   */
  noSync?: boolean;
  /**
   * Who runs the honest validators: 'sim' (default) the simulator's own driver, 'node' the production
   * ChainNode on simulated storage, clock and network (byzantine ones always run the simulator's driver).
   */
  driver?: 'sim' | 'node';
  /** Receives every trace line as it happens (`--verbose`). */
  onTrace?: (line: string) => void;
  /** How many trace lines a violation report carries. */
  reportLines?: number;
}

/**
 * 'random' draws one of the fault profiles below per seed ('mixed' most often); the others force one.
 *  mixed      drops, delays, duplicates, partitions, crashes, skew, byzantine equivocation
 *  fork-hunt  starves precommits and prevotes, and isolates a node right after it commits, so the rest
 *             decide in later rounds without learning of that commit: only locks keep them safe
 *  crashy     many crashes, many of them between two outputs of one batch, no partitions
 *  stuck      a permanent partition into halves, neither with two thirds (liveness must fail)
 *  flapping   one honest validator keeps losing its links and getting them back (a second or two each
 *             way), and crashes now and then, for the whole fault phase
 *  reconfig   one honest validator is cut off for most of the fault phase; meanwhile governance changes
 *             the voting powers (a tx submitted while it is away), so that the others alone hold more than
 *             two thirds: it must catch up across the change, checking blocks after it against the new
 *             set (against the old one their certificates need not reach two thirds)
 *  far-behind one honest validator was cut off while the others built a long chain (`behind` blocks,
 *             built before the run and stored on their disks); it stays cut off for part of the fault
 *             phase, then must catch up through block sync across the whole history and join consensus
 * The last three are never drawn by 'random'.
 */
export type ScenarioKind =
  | 'random'
  | 'mixed'
  | 'fork-hunt'
  | 'crashy'
  | 'stuck'
  | 'flapping'
  | 'reconfig'
  | 'far-behind';

/** 'far-behind': blocks the others built before the run, by default. */
export const DEFAULT_BEHIND = 100_000;

export interface PartitionPlan {
  at: number;
  durationMs: number;
  oneWay: boolean;
  groups: [number[], number[]];
}

export interface CrashPlan {
  at: number;
  node: number;
  downMs: number;
  /** Crash between two outputs of the node's next batch (persisted but not yet broadcast...). */
  midBatch: boolean;
}

export interface ByzantineBehaviour {
  /** Chance to send two different proposals to two halves of the peers. */
  doublePropose: number;
  /** Chance to send conflicting votes to two halves of the peers. */
  doubleVote: number;
  /** Prevote ignoring its own locks (the machine's ignoreLocks defect, legitimate for a byzantine). */
  amnesia: boolean;
  /** Chance to forget its WAL on restart (and so sign again what it signed before). */
  forgetWal: number;
  /** Chance to answer a sync request with a tampered certificate or block. */
  tamperSync: number;
  /**
   * During the fault phase, stay at the height to help decide a second block there: ignore others'
   * precommits (so never decide), never sync, never answer sync requests.
   */
  lingers: boolean;
}

export interface Scenario {
  kind: Exclude<ScenarioKind, 'random'>;
  /** 0.1–1: how hard the fault phase is. */
  intensity: number;
  n: number;
  powers: number[];
  byzantine: number[];
  behaviour: ByzantineBehaviour;
  /** Per node: offset of its clock from simulated time (ms). */
  skews: number[];
  /** Per node: how fast its timers run relative to simulated time. */
  timerRates: number[];
  /** Per node: when it starts height 1. */
  startAt: number[];
  maxClockDriftMs: number;
  faultPhaseMs: number;
  faultNetwork: LinkProfile;
  calmNetwork: LinkProfile;
  classDrop: Record<string, number>;
  partitions: PartitionPlan[];
  /** A partition that never heals (the 'stuck' scenario). */
  permanentSplit: [number[], number[]] | null;
  crashes: CrashPlan[];
  /** Chance to cut off the first honest node that commits a height from everyone (fork-hunt). */
  isolateCommitter: number;
  /**
   * fork-hunt: per height one honest "blind" node loses prevotes sent to it with this chance (0: off), so
   * it misses polkas the others see: it precommits nil and, as a proposer, proposes a fresh block.
   */
  blindPrevoteDrop: number;
  /** 'flapping': the validator that flaps. */
  flapper: number | null;
  /** 'reconfig': when the change is submitted, the powers it sets, and who is cut off meanwhile. */
  reconfig: { at: number; powers: number[]; isolated: number } | null;
  /**
   * 'far-behind': the cut-off validator, the length of the history the others built before the run, how
   * much of it the cut-off validator holds (a prefix), and when its links come back (within the fault
   * phase; cut off from the start until then).
   */
  farBehind: { node: number; blocks: number; prefix: number; healAt: number } | null;
}

export function defaultByzantine(n: number): number {
  return Math.floor((n - 1) / 3);
}

export function drawScenario(options: SimOptions): Scenario {
  const rng = new Rng(options.seed, 0x5ce4a210);
  const n = options.validators;
  const requested = options.scenario ?? 'random';
  const roll = rng.float();
  const kind: Scenario['kind'] =
    requested !== 'random' ? requested : roll < 0.7 ? 'mixed' : roll < 0.85 ? 'fork-hunt' : 'crashy';
  const powers = options.unequalPowers
    ? Array.from({ length: n }, () => rng.range(1, 10))
    : Array.from({ length: n }, () => 10);
  const byzantine = chooseByzantine(rng, powers, options.byzantine ?? defaultByzantine(n));
  const behaviour: ByzantineBehaviour = {
    doublePropose: rng.pick([0.3, 0.6, 1]),
    doubleVote: rng.pick([0.2, 0.5, 0.9]),
    amnesia: rng.chance(0.5),
    forgetWal: rng.pick([0, 0.5, 1]),
    tamperSync: rng.pick([0, 0.3]),
    lingers: false,
  };
  const skews = Array.from({ length: n }, () => (rng.chance(0.7) ? rng.range(-3000, 3000) : 0));
  const timerRates = Array.from({ length: n }, () => 1 + (rng.float() - 0.5) * 0.1);
  const startAt = Array.from({ length: n }, () => rng.int(500));
  const faultPhaseMs =
    options.faultPhaseMs ??
    (kind === 'fork-hunt' || kind === 'reconfig' || kind === 'far-behind'
      ? rng.range(10_000, 20_000)
      : rng.range(6_000, 14_000));

  // How hard this seed's fault phase is: scales loss, long tails, partitions and crashes, so that the
  // seeds range from nearly calm runs (many heights) to heavy ones (many rounds, few heights).
  const intensity = 0.1 + 0.9 * rng.float();
  const lossy = rng.chance(0.8);
  const faultNetwork: LinkProfile = {
    minDelayMs: rng.range(1, 20),
    jitterMs: rng.range(5, 150),
    tailChance: rng.float() * 0.08 * intensity,
    tailMaxMs: rng.range(200, 3000),
    drop: lossy ? rng.float() * 0.3 * intensity : 0,
    duplicate: rng.float() * 0.1,
  };
  const calmNetwork: LinkProfile = {
    minDelayMs: faultNetwork.minDelayMs,
    jitterMs: Math.min(faultNetwork.jitterMs, 100),
    tailChance: 0.01,
    tailMaxMs: 300,
    drop: rng.chance(0.5) ? 0 : 0.02,
    duplicate: faultNetwork.duplicate,
  };

  const partitions: PartitionPlan[] = [];
  const crashes: CrashPlan[] = [];
  const classDrop: Record<string, number> = {};
  let permanentSplit: [number[], number[]] | null = null;
  const named = kind === 'flapping' || kind === 'reconfig' || kind === 'far-behind';
  const partitionCount =
    kind === 'crashy' || kind === 'fork-hunt' || named ? 0 : Math.round(rng.int(5) * intensity);
  for (let i = 0; i < partitionCount; i++) {
    const order = rng.shuffle(Array.from({ length: n }, (_, j) => j));
    const cut = rng.range(1, n - 1);
    partitions.push({
      at: rng.int(faultPhaseMs),
      durationMs: rng.range(300, 5000),
      oneWay: rng.chance(0.4),
      groups: [order.slice(0, cut), order.slice(cut)],
    });
  }
  const crashCount =
    kind === 'crashy'
      ? rng.range(6, 14)
      : kind === 'fork-hunt'
        ? rng.int(2)
        : named
          ? 0
          : Math.round(rng.int(5) * intensity);
  for (let i = 0; i < crashCount; i++) {
    crashes.push({
      at: rng.int(faultPhaseMs),
      node: rng.int(n),
      downMs: rng.range(100, 4000),
      midBatch: rng.chance(0.5),
    });
  }
  let isolateCommitter = 0;
  let blindPrevoteDrop = 0;
  if (kind === 'fork-hunt') {
    // Set up the classic lock-violation fork: one honest node per height is "blind" to most prevotes, so it
    // misses polkas the others lock on; the byzantine validators equivocate coherently (the alternative
    // proposal and votes go to the same half of the peers), ignore their own locks, and linger at the
    // height; the first honest node to decide is cut off before the rest can sync its block. The rest
    // then go on in later rounds where a fresh proposal (the blind node's, or a byzantine one) can gather
    // a polka: only the honest validators' locks stand between them and a second decision.
    classDrop.precommit = rng.float() * 0.2;
    faultNetwork.drop = rng.float() * 0.05;
    isolateCommitter = 0.5 + rng.float() * 0.5;
    blindPrevoteDrop = 0.5 + rng.float() * 0.45;
    behaviour.doublePropose = 1;
    behaviour.doubleVote = 0.9;
    behaviour.amnesia = true;
    behaviour.lingers = true;
  }
  if (kind === 'stuck') {
    const order = rng.shuffle(Array.from({ length: n }, (_, j) => j));
    const half = Math.floor(n / 2);
    permanentSplit = [order.slice(0, half), order.slice(half)];
  }
  const honest = powers.map((_, i) => i).filter((i) => !byzantine.includes(i));
  const everyoneBut = (node: number) => powers.map((_, i) => i).filter((i) => i !== node);
  let flapper: number | null = null;
  if (kind === 'flapping') {
    const node = rng.pick(honest);
    flapper = node;
    for (let at = rng.int(1000); at < faultPhaseMs; ) {
      const durationMs = rng.range(300, 3000);
      partitions.push({ at, durationMs, oneWay: rng.chance(0.2), groups: [[node], everyoneBut(node)] });
      at += durationMs + rng.range(300, 3000);
    }
    for (let i = rng.range(1, 3); i > 0; i--)
      crashes.push({
        at: rng.int(faultPhaseMs),
        node,
        downMs: rng.range(200, 2000),
        midBatch: rng.chance(0.5),
      });
  }
  let reconfig: Scenario['reconfig'] = null;
  if (kind === 'reconfig') {
    const isolated = rng.pick(honest);
    const at = rng.range(500, 2000);
    partitions.push({
      at,
      durationMs: faultPhaseMs - at,
      oneWay: false,
      groups: [[isolated], everyoneBut(isolated)],
    });
    // The honest validators that stay linked get enough power to hold more than two thirds alone.
    const boosted = honest.filter((i) => i !== isolated);
    if (boosted.length === 0) throw new Error('the reconfig scenario needs at least three honest validators');
    const others = powers.reduce((a, p, i) => (boosted.includes(i) ? a : a + p), 0);
    const each = Math.floor((2 * others) / boosted.length) + 1 + rng.int(10);
    // The linked side needs a byzantine validator's votes until the change takes over: the byzantine
    // ones seldom equivocate here, and the network loses little, or it would rarely decide anything
    // before the heal.
    behaviour.doublePropose = rng.float() * 0.2;
    behaviour.doubleVote = rng.float() * 0.2;
    behaviour.amnesia = false;
    faultNetwork.drop *= 0.2;
    reconfig = {
      at: at + rng.range(200, 2000),
      powers: powers.map((p, i) => (boosted.includes(i) ? each : p)),
      isolated,
    };
  }
  let farBehind: Scenario['farBehind'] = null;
  if (kind === 'far-behind') {
    // The others must have decided the history without it: more than two thirds of the power.
    const total = powers.reduce((a, b) => a + b, 0);
    const candidates = honest.filter((i) => isQuorum(total - powers[i]!, total));
    if (candidates.length === 0)
      throw new Error(
        'the far-behind scenario needs an honest validator without which the others hold more than two thirds',
      );
    const node = rng.pick(candidates);
    const blocks = options.behind ?? DEFAULT_BEHIND;
    if (!Number.isSafeInteger(blocks) || blocks < 1) throw new Error('behind must be a whole number ≥ 1');
    farBehind = {
      node,
      blocks,
      prefix: Math.min(blocks - 1, rng.int(4)),
      healAt: Math.round(faultPhaseMs * (0.3 + 0.4 * rng.float())),
    };
    // Keep loss moderate: the others must go on deciding, and the catch-up starts in the fault phase.
    // Without the cut-off validator the others need a byzantine validator's votes to decide (as in
    // 'reconfig'): the byzantine validators seldom equivocate here, or the others would seldom decide.
    faultNetwork.drop = Math.min(faultNetwork.drop, 0.1);
    behaviour.doublePropose = rng.float() * 0.2;
    behaviour.doubleVote = rng.float() * 0.2;
    behaviour.amnesia = false;
    // A few crashes among the others during the fault phase, and maybe one of the cut-off validator
    // while it catches up (a multi-block commit in flight).
    for (let i = Math.round(rng.int(3) * intensity); i > 0; i--)
      crashes.push({
        at: rng.int(faultPhaseMs),
        node: rng.pick(everyoneBut(node)),
        downMs: rng.range(100, 3000),
        midBatch: rng.chance(0.5),
      });
    if (rng.chance(0.5)) {
      const at = farBehind.healAt + rng.range(300, 3000);
      if (at < faultPhaseMs)
        crashes.push({ at, node, downMs: rng.range(100, 2000), midBatch: rng.chance(0.5) });
    }
  }
  return {
    kind,
    intensity,
    n,
    powers,
    byzantine,
    behaviour,
    skews,
    timerRates,
    startAt,
    maxClockDriftMs: 5000,
    faultPhaseMs,
    faultNetwork,
    calmNetwork,
    classDrop,
    partitions: partitions.sort((a, b) => a.at - b.at),
    permanentSplit,
    crashes: crashes.sort((a, b) => a.at - b.at),
    isolateCommitter,
    blindPrevoteDrop,
    flapper,
    reconfig,
    farBehind,
  };
}

/** Up to `wanted` byzantine validators whose total power stays below a third. */
function chooseByzantine(rng: Rng, powers: readonly number[], wanted: number): number[] {
  const total = powers.reduce((a, b) => a + b, 0);
  for (let count = wanted; count > 0; count--) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const chosen = rng.shuffle(powers.map((_, i) => i)).slice(0, count);
      const power = chosen.reduce((a, i) => a + powers[i]!, 0);
      if (power * 3 < total) return chosen.sort((a, b) => a - b);
    }
  }
  return [];
}
