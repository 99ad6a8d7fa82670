// The checkers can fail: each test provokes one kind of violation on purpose and expects the simulator
// to report it, with its seed, and to report it again when the seed is replayed.
import { describe, expect, it } from 'vitest';
import { runSimulation, type SimOptions, Simulation } from '../src/simulation';

/** The first seed in [0, bound) whose run reports a violation of `kind`. */
function search(options: Omit<SimOptions, 'seed'>, kind: string, bound: number) {
  for (let seed = 0; seed < bound; seed++) {
    const result = runSimulation({ ...options, seed });
    const violation = result.violations.find((v) => v.kind === kind);
    if (violation) return { seed, result, violation };
  }
  return null;
}

describe('the safety checker', () => {
  // (c) With honest validators prevoting against their locks, the fork-hunting adversary gets two honest
  // validators to commit different blocks at one height.
  for (const validators of [4, 7]) {
    it(`finds a fork when honest nodes ignore locks (${validators} validators)`, () => {
      const options = { validators, ignoreLocks: true, scenario: 'fork-hunt' } as const;
      const found = search(options, 'fork', 300);
      expect(found, 'no fork within 300 seeds').not.toBeNull();
      const { seed, violation } = found!;
      console.log(`ignoreLocks, ${validators} validators: fork at seed ${seed}: ${violation.message}`);
      expect(violation.seed).toBe(seed);
      expect(violation.message).toMatch(/^height \d+: n\d committed [0-9a-f]+ but n\d committed [0-9a-f]+/);
      expect(violation.trace.length).toBeGreaterThan(10);
      // The seed replays the same violation exactly.
      const again = runSimulation({ ...options, seed });
      expect(again.violations[0]?.message).toBe(violation.message);
      expect(again.traceHash).toBe(found!.result.traceHash);
      // And the same seed with correct nodes is safe.
      expect(runSimulation({ validators, scenario: 'fork-hunt', seed }).violations).toEqual([]);
    });
  }
});

describe('the durability checker', () => {
  // (d) Crashes, many of them between two outputs of one batch, never lose a committed block.
  it('sees restarted nodes keep every block they reported committed', () => {
    let restarts = 0;
    let midBatch = 0;
    for (let seed = 0; seed < 40; seed++) {
      const sim = new Simulation({ seed, validators: 4, scenario: 'crashy' });
      const result = sim.run();
      expect(result.violations).toEqual([]);
      restarts += result.faults.restart ?? 0;
      midBatch += result.faults['crash-mid-batch'] ?? 0;
      // Every honest node's durable chain is a prefix of the longest honest chain.
      const honest = sim.nodes.filter((n) => !n.byzantine);
      const longest = honest.reduce(
        (a, n) => (n.durable.chain.length > a.length ? n.durable.chain : a),
        honest[0]!.durable.chain,
      );
      for (const node of honest)
        expect(node.durable.chain.map((c) => c.hashHex)).toEqual(
          longest.slice(0, node.durable.chain.length).map((c) => c.hashHex),
        );
    }
    expect(restarts).toBeGreaterThan(100);
    expect(midBatch).toBeGreaterThan(20);
  });

  it('catches a disk that loses the last commit across a restart', () => {
    const found = search(
      { validators: 4, scenario: 'crashy', loseLastCommitOnRestart: true },
      'lost-commit',
      50,
    );
    expect(found).not.toBeNull();
    console.log(`lost commit found at seed ${found!.seed}: ${found!.violation.message}`);
    expect(found!.violation.message).toMatch(/reported block \d+ .* committed, but after its restart/);
  });
});

describe('the liveness checker', () => {
  // (e) Split the validators into two halves for ever: neither has two thirds, nothing can be decided.
  for (const validators of [4, 7]) {
    it(`reports a permanent partition without a 2/3 side (${validators} validators)`, () => {
      const result = runSimulation({ seed: 1, validators, scenario: 'stuck' });
      expect(result.livenessMet).toBe(false);
      expect(result.violations.map((v) => v.kind)).toEqual(['liveness']);
      expect(result.violations[0]!.message).toMatch(/after the fault phase, honest nodes are at/);
      expect(result.honestMax).toBe(0);
    });
  }

  // (f) A driver defect, not a machine one: a node that never re-gossips leaves the messages lost in the
  // fault phase lost for good, and a height stalls with every node up and the network calm.
  for (const validators of [4, 7]) {
    it(`finds a stall when re-gossip never fires (${validators} validators)`, () => {
      const options = { validators, noRegossip: true } as const;
      const found = search(options, 'liveness', 50);
      expect(found, 'no liveness failure within 50 seeds').not.toBeNull();
      const { seed, violation, result } = found!;
      console.log(
        `noRegossip, ${validators} validators: liveness failure at seed ${seed}: ${violation.message}`,
      );
      expect(violation.seed).toBe(seed);
      expect(result.violations.map((v) => v.kind)).toEqual(['liveness']);
      expect(result.livenessMet).toBe(false);
      expect(result.faults.regossip ?? 0).toBe(0);
      expect(violation.message).toMatch(/after the fault phase, honest nodes are at/);
      // The seed replays the same failure exactly.
      const again = runSimulation({ ...options, seed });
      expect(again.violations[0]?.message).toBe(violation.message);
      expect(again.traceHash).toBe(result.traceHash);
      // And the same seed with re-gossip meets liveness, having re-gossiped.
      const healthy = runSimulation({ validators, seed });
      expect(healthy.violations).toEqual([]);
      expect(healthy.livenessMet).toBe(true);
      expect(healthy.faults.regossip).toBeGreaterThan(0);
    });
  }

  it('passes the same seeds when the partition heals', () => {
    expect(runSimulation({ seed: 1, validators: 4 }).livenessMet).toBe(true);
    expect(runSimulation({ seed: 1, validators: 7 }).livenessMet).toBe(true);
  });
});
