// Named failure modes of consortium chains, with both drivers: a validator whose links keep flapping,
// a validator-set change decided while a validator is cut off, which it must then sync across, and a
// validator that comes back far behind (a long history built before the run) and must catch up.
import { equalBytes, toHex, validatorSetHash } from '@gongxin/ledger';
import { defaultPeerLimits } from '@gongxin/node';
import { describe, expect, it } from 'vitest';
import type { ReplicaNode } from '../src/replica';
import {
  catchUpAllowanceMs,
  runSimulationAsync,
  type SimOptions,
  type SimResult,
  Simulation,
} from '../src/simulation';
import { describeViolations } from './helpers';

describe('a flapping validator', () => {
  for (const driver of ['node', 'sim'] as const) {
    for (const validators of [4, 7]) {
      it(`keeps safety and liveness (${driver} driver, ${validators} validators)`, async () => {
        const results: SimResult[] = [];
        for (let seed = 0; seed < 12; seed++)
          results.push(await runSimulationAsync({ seed, validators, driver, scenario: 'flapping' }));
        expect(describeViolations(results)).toEqual([]);
        // It did flap: several cut-offs per run, and crashes.
        const cuts = results.reduce(
          (a, r) => a + (r.faults.partition ?? 0) + (r.faults['partition-one-way'] ?? 0),
          0,
        );
        expect(cuts).toBeGreaterThan(3 * results.length);
        expect(results.reduce((a, r) => a + (r.faults.restart ?? 0), 0)).toBeGreaterThan(results.length);
      });
    }
  }
});

describe('a validator-set change while a validator is cut off', () => {
  for (const driver of ['node', 'sim'] as const) {
    for (const validators of [4, 7]) {
      it(`is synced across by the cut-off validator (${driver} driver, ${validators} validators)`, async () => {
        let acrossBeforeHeal = 0;
        const seeds = 12;
        for (let seed = 0; seed < seeds; seed++) {
          const lines: string[] = [];
          const sim = new Simulation({
            seed,
            validators,
            driver,
            scenario: 'reconfig',
            onTrace: (line) => lines.push(line),
          });
          const result = await sim.runAsync();
          expect(describeViolations([result])).toEqual([]);
          const { powers, isolated } = sim.scenario.reconfig!;
          const changed = sim.world.validators.map((v, i) => ({ ...v.validator, power: powers[i]! }));
          const changedHash = toHex(validatorSetHash(sim.world.suite, changed));
          // Every honest node went over to the new set, at the same height.
          const activations = sim.nodes
            .filter((n) => !n.byzantine)
            .map(
              (n) =>
                n.durable.chain.find((c) => toHex(c.block.header.validatorsHash) === changedHash)?.height,
            );
          expect(activations.every((h) => h !== undefined && h === activations[0])).toBe(true);
          // Mostly the change is decided during the cut-off, and the cut-off node syncs the block where
          // it takes over (whose certificate only the new set makes valid).
          const heal = lines.findIndex((l) => l.includes('FAULT PHASE OVER'));
          const decided = lines.findIndex((l) => l.includes(` COMMIT ${activations[0]} `));
          const synced = lines.some(
            (l) => l.includes(`n${isolated} COMMIT ${activations[0]} `) && l.includes('via sync'),
          );
          if (decided < heal && synced) acrossBeforeHeal++;
        }
        expect(acrossBeforeHeal).toBeGreaterThan(seeds / 2);
      });
    }
  }
});

describe('a validator far behind after a partition', () => {
  // Short histories keep the tests fast; `npm run sim -- --scenario far-behind` runs the default 100,000.
  const behind = 2000;
  const far = (options: Omit<SimOptions, 'scenario' | 'behind'>) =>
    new Simulation({ ...options, scenario: 'far-behind', behind });

  for (const driver of ['node', 'sim'] as const) {
    for (const validators of [4, 7]) {
      it(`catches up through block sync and joins consensus (${driver} driver, ${validators} validators)`, async () => {
        const seeds = driver === 'node' ? 3 : 2;
        for (let seed = 0; seed < seeds; seed++) {
          const lines: string[] = [];
          const sim = far({ seed, validators, driver, onTrace: (line) => lines.push(line) });
          const { node, prefix } = sim.scenario.farBehind!;
          const history = sim.history!;
          // The history: executed blocks (some with txs), none signed by the cut-off validator, on every
          // disk but its own, which holds a prefix.
          expect(history.blocks).toHaveLength(behind);
          expect(history.blocks.some((b) => b.block.txs.length > 0)).toBe(true);
          const key = sim.world.validators[node]!.account.publicKey;
          expect(
            history.blocks.every((b) => b.certificate.signatures.every((s) => !equalBytes(s.key, key))),
          ).toBe(true);
          for (const n of sim.nodes) expect(n.durable.chain.length).toBe(n.index === node ? prefix : behind);

          const result = await sim.runAsync();
          expect(describeViolations([result])).toEqual([]);
          expect(result.livenessMet).toBe(true);
          const c = result.catchUp!;
          expect(c.node).toBe(node);
          // It synced everything it lacked, and what the others decided meanwhile, then decided a height
          // itself.
          expect(c.synced).toBeGreaterThanOrEqual(behind - prefix);
          expect(c.caughtUpHeight).toBeGreaterThanOrEqual(behind);
          expect(c.simMs).toBeGreaterThan(0);
          expect(c.joinedHeight).toBeGreaterThan(c.caughtUpHeight!);
          // Every block it committed until then came through sync.
          const commits = lines.filter((l) => l.includes(`n${node} COMMIT `));
          const before = commits.filter(
            (l) => Number(l.split(' COMMIT ')[1]!.split(' ')[0]) <= c.caughtUpHeight!,
          );
          expect(before.length).toBeGreaterThan(behind / 2);
          expect(before.every((l) => l.includes(' via sync '))).toBe(true);
          expect(lines.some((l) => l.includes(`JOINED n${node} `))).toBe(true);
          // Its chain is the history, block for block, in its own copies (decoded from sync answers).
          const chain = sim.nodes[node]!.durable.chain;
          expect(chain[behind - 1]!.hashHex).toBe(history.blocks[behind - 1]!.hashHex);
          expect(chain[behind - 1]).not.toBe(history.blocks[behind - 1]);
          // The others went on deciding.
          expect(result.honestMin).toBeGreaterThan(behind);
        }
      });
    }
  }

  it('is reported as a liveness violation, with its seed, when block sync never asks', async () => {
    for (let seed = 0; seed < 2; seed++) {
      const sim = far({ seed, validators: 4, driver: 'node', noSync: true });
      const { node } = sim.scenario.farBehind!;
      const result = await sim.runAsync();
      expect(result.violations.map((v) => v.kind)).toEqual(['liveness']);
      const violation = result.violations[0]!;
      expect(violation.seed).toBe(seed);
      expect(violation.message).toMatch(new RegExp(`far-behind n${node} never caught up`));
      expect(result.catchUp!.caughtUpHeight).toBeNull();
      expect(result.faults['sync-suppressed']).toBeGreaterThan(0);
      expect(result.faults['sync-applied'] ?? 0).toBe(0);
      // The deadline allowed for the catch-up: the usual 60 s plus the allowance for the history.
      const allowance = catchUpAllowanceMs(
        behind,
        defaultPeerLimits.syncBatchBlocks,
        sim.scenario.calmNetwork,
        defaultPeerLimits.syncTimeoutMs,
      );
      expect(allowance).toBeGreaterThan(0);
      expect(violation.time).toBe(sim.scenario.faultPhaseMs + 60_000 + allowance);
      // It replays exactly.
      const again = await far({ seed, validators: 4, driver: 'node', noSync: true }).runAsync();
      expect(again.traceHash).toBe(result.traceHash);
      expect(again.violations[0]?.message).toBe(violation.message);
    }
  });

  it('replays a seed exactly (same trace hash)', async () => {
    const run = () => far({ seed: 5, validators: 4, driver: 'node' }).runAsync();
    const a = await run();
    const b = await run();
    expect(a.violations).toEqual([]);
    expect(a.catchUp!.caughtUpHeight).not.toBeNull();
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.heights).toEqual(a.heights);
    expect(b.catchUp!.synced).toBe(a.catchUp!.synced);
    expect(b.catchUp!.simMs).toBe(a.catchUp!.simMs);
  });

  it('audits every honest chain, though the disks share the history', async () => {
    const sim = far({ seed: 1, validators: 4, driver: 'node' });
    const result = await sim.runAsync();
    expect(result.violations).toEqual([]);
    const { node } = sim.scenario.farBehind!;
    const holders = sim.nodes.filter((n) => !n.byzantine && n.index !== node);
    // The last holder audited meets blocks already checked on another disk: only their places and links
    // are checked again.
    const a = holders[holders.length - 1] as ReplicaNode;
    const b = holders[0] as ReplicaNode;
    // On one disk, two shared blocks change places; the others' lists are untouched.
    const blocks = a.disk.blocks;
    [blocks[10], blocks[11]] = [blocks[11]!, blocks[10]!];
    sim.checker.audit();
    expect(result.violations.map((v) => v.message)).toEqual([`${a.name} block 12: heights out of order`]);
    [blocks[10], blocks[11]] = [blocks[11]!, blocks[10]!];
    // On another, a history block in a copy whose certificate lost a signature.
    const at = behind - 7;
    const original = b.disk.blocks[at - 1]!;
    const signatures = original.certificate.signatures.slice(1);
    b.disk.blocks[at - 1] = { ...original, certificate: { ...original.certificate, signatures } };
    result.violations.length = 0;
    sim.checker.audit();
    expect(result.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(new RegExp(`^${b.name} block ${at}: certificate: `)),
    ]);
  });

  it('allows for the catch-up in proportion to the history: answers times round trip and loss', () => {
    const calm = { minDelayMs: 10, jitterMs: 100, tailChance: 0.01, tailMaxMs: 300, drop: 0, duplicate: 0 };
    // 1,000 answers of 100 blocks, each a worst round trip of 220 ms plus the expected tail (6 ms).
    expect(catchUpAllowanceMs(100_000, 100, calm, 10_000)).toBe(226_000);
    expect(catchUpAllowanceMs(2_000, 100, calm, 10_000)).toBe(4_520);
    expect(catchUpAllowanceMs(2_001, 100, calm, 10_000)).toBe(21 * 226);
    // 2% loss: a request or its answer is lost with p = 1 − 0.98², each costing a 10 s timeout; twice
    // the expected p / (1 − p) timeouts per answer are allowed.
    const p = 1 - 0.98 ** 2;
    expect(catchUpAllowanceMs(100_000, 100, { ...calm, drop: 0.02 }, 10_000)).toBe(
      Math.ceil(1000 * (226 + (2 * p * 10_000) / (1 - p))),
    );
  });
});
