// Who proposes at (height, round): smooth weighted round-robin over the validator set, so over any window
// each validator proposes in proportion to its voting power and rounds of a height rotate to the next
// in line (a faulty proposer is skipped at the next round). It is a pure function of the set, the height
// and the round, so every node agrees without exchanging state.
import { sortValidators, toHex, type Validator } from '@gongxin/ledger';

const MAX_CYCLE = 100_000;
const cycles = new Map<string, number[]>();

function cycleFor(validators: readonly Validator[]): number[] {
  const sorted = sortValidators(validators);
  const id = sorted.map((v) => `${toHex(v.key)}:${v.power}`).join(',');
  const cached = cycles.get(id);
  if (cached) return cached;
  let powers = sorted.map((v) => v.power);
  const total = powers.reduce((a, b) => a + b, 0);
  // Very large powers would make the cycle huge: scale them down, keeping every validator in it.
  if (total > MAX_CYCLE) powers = powers.map((p) => Math.max(1, Math.floor((p * MAX_CYCLE) / total)));
  const cycleLength = powers.reduce((a, b) => a + b, 0);
  const current = new Array<number>(powers.length).fill(0);
  const order: number[] = [];
  for (let step = 0; step < cycleLength; step++) {
    let best = 0;
    for (let i = 0; i < powers.length; i++) {
      current[i]! += powers[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= cycleLength;
    order.push(best);
  }
  if (cycles.size > 64) cycles.clear();
  cycles.set(id, order);
  return order;
}

export function proposerFor(validators: readonly Validator[], height: number, round: number): Validator {
  const sorted = sortValidators(validators);
  const order = cycleFor(sorted);
  return sorted[order[(height + round) % order.length]!]!;
}
