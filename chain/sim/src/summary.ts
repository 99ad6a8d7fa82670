// Aggregating run results per configuration, and printing them. Shared by the CLI and the tests.
import type { FaultCounts } from './network';
import type { SimResult, Violation } from './simulation';

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
]);

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
