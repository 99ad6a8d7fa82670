// The throughput bench at a tiny scale: its reported figures must add up, and every payment it counts as
// done must be covered by a balance proof the receiver verified and countersigned.
import { describe, expect, it } from 'vitest';
import { baseline, plan, runBench } from '../src/bench/bench';

describe('bench:channels at a tiny scale', () => {
  it('plans 80 % direct and 20 % multi-hop payments of 2–4 hops over the asked channels', () => {
    const { edges, payments } = plan({
      nodes: 30,
      channels: 90,
      payments: 5000,
      workers: 2,
      window: 100,
      seed: 3,
      maxBatch: 64,
    });
    expect(edges).toHaveLength(90);
    const multi = payments.filter((p) => p.multi);
    expect(multi.length / payments.length).toBeGreaterThan(0.15);
    expect(multi.length / payments.length).toBeLessThan(0.25);
    for (const p of multi) {
      expect(p.route.length).toBeGreaterThanOrEqual(2);
      expect(p.route.length).toBeLessThanOrEqual(4);
    }
  });

  it('reports consistent counts over two workers', async () => {
    const r = await runBench({
      nodes: 24,
      channels: 60,
      payments: 1500,
      workers: 2,
      window: 300,
      seed: 7,
      maxBatch: 64,
    });
    const sum = (f: (x: (typeof r.reports)[number]) => number) => r.reports.reduce((s, x) => s + f(x), 0);
    expect(r.transfers + r.failed).toBe(r.payments);
    expect(sum((x) => x.started)).toBe(r.payments);
    expect(r.transfers).toBe(r.payments);
    expect(r.multiCompleted).toBeGreaterThan(0);
    // Every proof sent was verified and countersigned by its receiver; none was refused.
    expect(sum((x) => x.batchesSent)).toBe(sum((x) => x.batchesAccepted));
    expect(sum((x) => x.batchesRejected)).toBe(0);
    // One signature per proof sent and one countersignature per proof accepted.
    expect(sum((x) => x.signatures)).toBe(sum((x) => x.batchesSent) + sum((x) => x.batchesAccepted));
    // Every payment's operation went under some proof: a direct one once, a routed one per hop (lock, unlock).
    expect(sum((x) => x.opsSent)).toBeGreaterThanOrEqual(r.payments);
    // Many transfers per proof, and many machine writes per group commit.
    expect(sum((x) => x.batchesSent)).toBeLessThan(sum((x) => x.opsSent));
    expect(sum((x) => x.groupCommits)).toBeLessThanOrEqual(sum((x) => x.writes));
    expect(sum((x) => x.crossMessages)).toBeGreaterThan(0);
    expect(r.p50).toBeLessThanOrEqual(r.p99);
    expect(r.transfersPerSec).toBeGreaterThan(0);
  }, 60_000);

  it('measures the raw baseline', () => {
    const b = baseline(100);
    expect(b.signVerifyPerSec).toBeGreaterThan(0);
    expect(b.fsyncPerSec).toBeGreaterThan(0);
  });
});
