// The benchmark's path on a small caseload: 2,000 households on the rolls at genesis, the cycle computed,
// disbursed in batched txs and reconciled payment by payment against the chain. Every batch must commit
// and the computed, disbursed and reconciled totals must be equal to the fen, each household paid once.
import { describe, expect, it } from 'vitest';
import { runCycleBench } from '../bench/cycle';

describe('a disbursement cycle, as the benchmark runs it', () => {
  it('computes, disburses and reconciles 2,000 households to the fen', async () => {
    const r = await runCycleBench({ households: 2_000, senders: 4 });
    expect(r.problems).toEqual([]);
    expect(r.households).toBe(2_000);
    expect(r.batches).toBeGreaterThan(1);
    expect(r.committedBatches).toBe(r.batches);
    expect(r.proofsVerified).toBe(r.batches);
    expect(r.computed.count).toBe(2_000);
    expect(r.computed.total).toBeGreaterThan(0n);
    expect(r.disbursed).toEqual(r.computed);
    expect(r.reconciled).toEqual(r.computed);
  }, 180_000);
});
