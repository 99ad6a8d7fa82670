// The production node in the simulator: honest validators run ChainNode itself on simulated storage
// (unflushed writes lost, torn or landed at a crash), time and network, with the production re-gossip
// policy; byzantine ones run the simulator's driver. The checkers are the same, and they still catch
// the deliberate defects: honest nodes ignoring locks (a fork) and re-gossip that never fires (a stall).
import { describe, expect, it } from 'vitest';
import { runSimulationAsync, type SimOptions, type SimResult, Simulation } from '../src/simulation';
import { describeViolations } from './helpers';

const node = { driver: 'node' } as const;

async function seeds(options: Omit<SimOptions, 'seed'>, from: number, count: number): Promise<SimResult[]> {
  const results: SimResult[] = [];
  for (let seed = from; seed < from + count; seed++)
    results.push(await runSimulationAsync({ ...options, seed }));
  return results;
}

/** The first seed in [0, bound) whose run reports a violation of `kind`. */
async function search(options: Omit<SimOptions, 'seed'>, kind: string, bound: number) {
  for (let seed = 0; seed < bound; seed++) {
    const result = await runSimulationAsync({ ...options, seed });
    const violation = result.violations.find((v) => v.kind === kind);
    if (violation) return { seed, result, violation };
  }
  return null;
}

describe('ChainNode in the simulator', () => {
  it('keeps safety and liveness on mixed faults (4 validators, 1 byzantine)', async () => {
    const results = await seeds({ ...node, validators: 4 }, 0, 60);
    expect(describeViolations(results)).toEqual([]);
    expect(results.every((r) => r.livenessMet)).toBe(true);
    expect(results.reduce((a, r) => a + r.honestMin, 0)).toBeGreaterThan(150);
    const faults = new Set(results.flatMap((r) => Object.keys(r.faults)));
    for (const kind of [
      'drop',
      'duplicate',
      'partition',
      'crash',
      'crash-mid-write',
      'write-lost',
      'write-torn',
      'restart',
      'double-propose',
      'double-vote',
      'regossip',
      'sync-applied',
      'tx-submitted',
    ])
      expect(faults, kind).toContain(kind);
  });

  it('keeps safety and liveness with 7 validators, 2 byzantine', async () => {
    const results = await seeds({ ...node, validators: 7 }, 0, 15);
    expect(describeViolations(results)).toEqual([]);
  });

  it('loses no acknowledged write across crashes with writes in flight', async () => {
    let inFlight = 0;
    let restarts = 0;
    for (let seed = 0; seed < 25; seed++) {
      const sim = new Simulation({ ...node, seed, validators: 4, scenario: 'crashy' });
      const result = await sim.runAsync();
      expect(describeViolations([result])).toEqual([]);
      restarts += result.faults.restart ?? 0;
      inFlight += (result.faults['write-lost'] ?? 0) + (result.faults['write-torn'] ?? 0);
      // Every honest node's chain on disk is a prefix of the longest honest one.
      const honest = sim.nodes.filter((n) => !n.byzantine);
      const longest = honest.reduce(
        (a, n) => (n.durable.chain.length > a.length ? n.durable.chain : a),
        honest[0]!.durable.chain,
      );
      for (const n of honest)
        expect(n.durable.chain.map((c) => c.hashHex)).toEqual(
          longest.slice(0, n.durable.chain.length).map((c) => c.hashHex),
        );
    }
    expect(restarts).toBeGreaterThan(40);
    expect(inFlight).toBeGreaterThan(5);
  });

  // Seed 1048 stalled for ever: a validator moved to round 1 on round-0 precommits (one of them the
  // byzantine validator's) and crashed, the others lost them in crashes of their own, and the byzantine
  // validator never sent its precommit again. The round change's votes are now kept in the WAL and sent
  // again after a restart (ConsensusMachine.startRound).
  it('follows a validator into a later round after crashes lost the votes that took it there (seed 1048)', async () => {
    const lines: string[] = [];
    const sim = new Simulation({ ...node, seed: 1048, validators: 4, onTrace: (l) => lines.push(l) });
    const result = await sim.runAsync();
    expect(describeViolations([result])).toEqual([]);
    expect(result.livenessMet).toBe(true);
    expect(result.honestMin).toBeGreaterThanOrEqual(3);
    // It went through the crashes that caused the stall, and a restarted validator sent a round's votes
    // of another validator again (the byzantine n2's precommit of round 0).
    expect(result.faults.restart).toBeGreaterThanOrEqual(5);
    const restart = lines.findIndex((l) => / n1 RESTART /.test(l));
    expect(restart).toBeGreaterThan(0);
    expect(lines.slice(restart).some((l) => / 1>\d PC 1\/0 \S+ by n2$/.test(l))).toBe(true);
  });

  // Half the validators cut off from the other half for ever (the `stuck` scenario): with no side holding
  // two thirds, ChainNode commits nothing anywhere, so nothing can fork, and the liveness checker says
  // so. The real-socket counterpart (two of four validator processes down) is test/cluster.test.ts and
  // test/p2p.test.ts in chain/node, kept short.
  for (const validators of [4, 7]) {
    it(`commits nothing and forks nothing while no side has two thirds (${validators} validators)`, async () => {
      const result = await runSimulationAsync({ ...node, seed: 1, validators, scenario: 'stuck' });
      expect(result.violations.map((v) => v.kind)).toEqual(['liveness']);
      expect(result.livenessMet).toBe(false);
      expect(result.honestMax).toBe(0);
      expect(result.faults.partition).toBeGreaterThan(0);
      expect(result.faults.regossip).toBeGreaterThan(0);
    });
  }

  it('replays a seed exactly', async () => {
    const a = await runSimulationAsync({ ...node, seed: 7, validators: 4 });
    const b = await runSimulationAsync({ ...node, seed: 7, validators: 4 });
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.heights).toEqual(b.heights);
    expect(a.events).toBe(b.events);
  });

  it('catches a disk that loses the last commit across a restart', async () => {
    const found = await search(
      { ...node, validators: 4, scenario: 'crashy', loseLastCommitOnRestart: true },
      'lost-commit',
      30,
    );
    expect(found).not.toBeNull();
    expect(found!.violation.message).toMatch(/reported block \d+ .* committed, but after its restart/);
  });

  it('finds a fork when honest nodes ignore locks', async () => {
    const options = { ...node, validators: 4, ignoreLocks: true, scenario: 'fork-hunt' } as const;
    const found = await search(options, 'fork', 300);
    expect(found, 'no fork within 300 seeds').not.toBeNull();
    const { seed, violation, result } = found!;
    console.log(`ChainNode, ignoreLocks: fork at seed ${seed}: ${violation.message}`);
    expect(violation.seed).toBe(seed);
    expect(violation.message).toMatch(/^height \d+: n\d committed [0-9a-f]+ but n\d committed [0-9a-f]+/);
    const again = await runSimulationAsync({ ...options, seed });
    expect(again.violations[0]?.message).toBe(violation.message);
    expect(again.traceHash).toBe(result.traceHash);
    // The same seed with the machine as it is: safe.
    const sound = await runSimulationAsync({ ...node, validators: 4, scenario: 'fork-hunt', seed });
    expect(sound.violations).toEqual([]);
  });

  // The production re-gossip policy decides what to send again; with its sends dropped (the defect),
  // messages lost in the fault phase stay lost and a height stalls with every node up and the network calm.
  for (const validators of [4, 7]) {
    it(`finds a stall when re-gossip never fires (${validators} validators)`, async () => {
      const options = { ...node, validators, noRegossip: true } as const;
      const found = await search(options, 'liveness', 50);
      expect(found, 'no liveness failure within 50 seeds').not.toBeNull();
      const { seed, violation, result } = found!;
      console.log(`ChainNode, noRegossip, ${validators} validators: liveness failure at seed ${seed}`);
      expect(violation.seed).toBe(seed);
      expect(result.violations.map((v) => v.kind)).toEqual(['liveness']);
      expect(violation.message).toMatch(/after the fault phase, honest nodes are at/);
      expect(result.faults.regossip ?? 0).toBe(0);
      expect(result.faults['regossip-suppressed']).toBeGreaterThan(0);
      const again = await runSimulationAsync({ ...options, seed });
      expect(again.violations[0]?.message).toBe(violation.message);
      expect(again.traceHash).toBe(result.traceHash);
      // With re-gossip the same seed meets liveness, having re-gossiped.
      const healthy = await runSimulationAsync({ ...node, validators, seed });
      expect(healthy.violations).toEqual([]);
      expect(healthy.livenessMet).toBe(true);
      expect(healthy.faults.regossip).toBeGreaterThan(0);
    });
  }
});
