// Aggregating run results per configuration, and printing them. Shared by the CLI and the tests.
import type { FaultCounts } from './network';
import type { CatchUpReport, SimResult, Violation } from './simulation';

/** What a worker sends back for one seed (a SimResult without the bulky parts of passing runs). */
export interface SeedReport {
  seed: number;
  config: string;
  honestMin: number;
  honestMax: number;
  faults: FaultCounts;
  violations: Violation[];
  traceHash: string;
  events: number;
  simTimeMs: number;
  /** 'far-behind': the cut-off validator's catch-up. */
  catchUp: CatchUpReport | null;
}

export function toReport(r: SimResult): SeedReport {
  return {
    seed: r.seed,
    config: r.config,
    honestMin: r.honestMin,
    honestMax: r.honestMax,
    faults: r.faults,
    violations: r.violations,
    traceHash: r.traceHash,
    events: r.events,
    simTimeMs: r.simTimeMs,
    catchUp: r.catchUp,
  };
}

/** Counters of what the protocol and drivers did about the faults, not faults themselves. */
const REACTIONS = new Set([
  'evidence',
  'regossip',
  'sync-request',
  'sync-applied',
  'sync-rejected',
  'invalid-block',
  'regossip-suppressed',
  'tx-submitted',
  'tx-refused',
  'sync-suppressed',
]);

/** Seeds listed one by one in the catch-up lines, at most. */
const CATCH_UP_LINES = 10;

const thousands = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class ConfigSummary {
  seeds = 0;
  firstSeed = Number.POSITIVE_INFINITY;
  lastSeed = Number.NEGATIVE_INFINITY;
  heightsTotal = 0;
  heightsMin = Number.POSITIVE_INFINITY;
  heightsMax = 0;
  events = 0;
  simTimeMs = 0;
  readonly faults: FaultCounts = {};
  readonly violations: Violation[] = [];
  /** 'far-behind': each seed's catch-up, by seed. */
  readonly catchUps: { seed: number; report: CatchUpReport }[] = [];
  elapsedMs = 0;

  constructor(readonly config: string) {}

  add(r: SeedReport): void {
    this.seeds++;
    this.firstSeed = Math.min(this.firstSeed, r.seed);
    this.lastSeed = Math.max(this.lastSeed, r.seed);
    this.heightsTotal += r.honestMin;
    this.heightsMin = Math.min(this.heightsMin, r.honestMin);
    this.heightsMax = Math.max(this.heightsMax, r.honestMin);
    this.events += r.events;
    this.simTimeMs += r.simTimeMs;
    for (const [kind, n] of Object.entries(r.faults)) this.faults[kind] = (this.faults[kind] ?? 0) + n;
    this.violations.push(...r.violations);
    if (r.catchUp) this.catchUps.push({ seed: r.seed, report: r.catchUp });
  }

  /**
   * 'far-behind': how the cut-off validators caught up, one line per seed (or a digest for many seeds):
   * blocks synced, simulated and wall time from the links' return until caught up, the height where it
   * first decided through consensus.
   */
  catchUpLines(): string[] {
    const list = this.catchUps;
    if (list.length === 0) return [];
    const sizes = [...new Set(list.map((c) => c.report.history))];
    const built = list.reduce((a, c) => a + c.report.historyWallMs, 0) / list.length;
    const lines = [
      `  far behind       history of ${sizes.map(thousands).join(' / ')} blocks built before each run ` +
        `(${seconds(built)} wall on average)`,
    ];
    if (list.length <= CATCH_UP_LINES) {
      for (const { seed, report: c } of list) {
        lines.push(
          c.caughtUpHeight === null || c.simMs === null || c.wallMs === null
            ? `    seed ${seed}: n${c.node} NEVER caught up (${thousands(c.synced)} blocks synced)`
            : `    seed ${seed}: n${c.node} caught up ${thousands(c.synced)} blocks in ${seconds(c.simMs)} simulated, ` +
                `${seconds(c.wallMs)} wall; ` +
                (c.joinedHeight === null
                  ? 'never decided through consensus'
                  : `joined consensus at ${thousands(c.joinedHeight)}`),
        );
      }
      return lines;
    }
    const done = list.filter((c) => c.report.simMs !== null && c.report.wallMs !== null).map((c) => c.report);
    const joined = done.filter((c) => c.joinedHeight !== null).length;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const sim = done.map((c) => c.simMs!);
    const wall = done.map((c) => c.wallMs!);
    const synced = done.map((c) => c.synced);
    lines.push(
      `    caught up in ${done.length} of ${list.length} seeds, joined consensus in ${joined}` +
        (done.length === 0
          ? ''
          : `: ${thousands(Math.min(...synced))}–${thousands(Math.max(...synced))} blocks synced, ` +
            `${seconds(mean(sim))} simulated on average (max ${seconds(Math.max(...sim))}), ` +
            `${seconds(mean(wall))} wall (max ${seconds(Math.max(...wall))})`),
    );
    return lines;
  }

  /** Violations grouped by kind, with their seeds in order. */
  violationSeeds(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const v of this.violations) {
      const list = out[v.kind] ?? [];
      list.push(v.seed);
      out[v.kind] = list;
    }
    for (const list of Object.values(out)) list.sort((a, b) => a - b);
    return out;
  }

  format(): string {
    const lines = [`${this.config}`];
    const range = this.seeds === 0 ? '' : ` (seeds ${this.firstSeed}..${this.lastSeed})`;
    lines.push(`  seeds run        ${this.seeds}${range}`);
    lines.push(
      `  heights          total ${this.heightsTotal}, per seed min ${this.seeds ? this.heightsMin : 0} / max ${this.heightsMax}` +
        ' (the height every honest node reached)',
    );
    const counters = Object.entries(this.faults).sort(([a], [b]) => a.localeCompare(b));
    const table = (title: string, entries: [string, number][]) => {
      lines.push(title);
      for (let i = 0; i < entries.length; i += 4) {
        lines.push(
          `    ${entries
            .slice(i, i + 4)
            .map(([k, n]) => `${k} ${n}`.padEnd(28))
            .join('')
            .trimEnd()}`,
        );
      }
    };
    table(
      '  faults injected',
      counters.filter(([k]) => !REACTIONS.has(k)),
    );
    table(
      '  reactions',
      counters.filter(([k]) => REACTIONS.has(k)),
    );
    lines.push(...this.catchUpLines());
    const bySeed = this.violationSeeds();
    const kinds = Object.keys(bySeed);
    lines.push(`  violations       ${this.violations.length}${kinds.length ? '' : ' (none)'}`);
    for (const kind of kinds) {
      const seeds = bySeed[kind]!;
      const shown = seeds.slice(0, 30).join(', ') + (seeds.length > 30 ? `, … (${seeds.length} in all)` : '');
      lines.push(`    ${kind}: seeds ${shown}`);
    }
    lines.push(
      `  elapsed          ${(this.elapsedMs / 1000).toFixed(1)} s ` +
        `(simulated ${(this.simTimeMs / 3_600_000).toFixed(1)} h, ${(this.events / 1e6).toFixed(2)} M events)`,
    );
    return lines.join('\n');
  }
}

export function formatViolation(v: Violation, replay: string, traceLines = 40): string {
  return [
    `VIOLATION ${v.kind} — seed ${v.seed}, ${v.config}, at ${v.time} ms simulated`,
    `  ${v.message}`,
    `  replay: ${replay}`,
    `  last ${Math.min(traceLines, v.trace.length)} trace lines:`,
    ...v.trace.slice(-traceLines).map((l) => `    ${l}`),
  ].join('\n');
}
