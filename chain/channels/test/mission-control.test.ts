// Mission control: a hop that failed recently is routed around for a while, then forgiven.
import { describe, expect, it } from 'vitest';
import { ChannelGraph, MissionControl } from '../src/routing';

function graph(): ChannelGraph {
  const g = new ChannelGraph();
  // A–B–D is the better path (bigger channels); A–C–D the other.
  g.addChannel('c1', 'A', 'B', 'PTS', 10_000n);
  g.addChannel('c2', 'B', 'D', 'PTS', 10_000n);
  g.addChannel('c3', 'A', 'C', 'PTS', 2_000n);
  g.addChannel('c4', 'C', 'D', 'PTS', 2_000n);
  return g;
}

describe('mission control', () => {
  it('routes around a hop that failed, for as much or more, until the failure is old', () => {
    const g = graph();
    const mc = new MissionControl(60_000);
    const route = (amount: bigint, now: number) =>
      g.route('A', 'D', 'PTS', amount, 4, (e) => mc.weight(e, amount, now))?.path;
    expect(route(500n, 0)).toEqual(['B', 'D']);
    mc.reportFailure('B', 'D', 'PTS', 500n, 1_000);
    expect(route(500n, 2_000)).toEqual(['C', 'D']);
    expect(route(900n, 2_000)).toEqual(['C', 'D']);
    // A smaller amount than the one that failed may still get through.
    expect(route(100n, 2_000)).toEqual(['B', 'D']);
    // The other direction of the pair did not fail.
    expect(g.route('D', 'A', 'PTS', 500n, 4, (e) => mc.weight(e, 500n, 2_000))?.path).toEqual(['B', 'A']);
    // Forgiven once the memory has passed.
    expect(route(500n, 61_000)).toEqual(['B', 'D']);
  });

  it('still finds a route through a failed hop when there is no other', () => {
    const g = new ChannelGraph();
    g.addChannel('c1', 'A', 'B', 'PTS', 1_000n);
    const mc = new MissionControl();
    mc.reportFailure('A', 'B', 'PTS', 10n, 0);
    expect(g.route('A', 'B', 'PTS', 10n, 4, (e) => mc.weight(e, 10n, 1))?.path).toEqual(['B']);
    // A weight of 0 leaves a direction out altogether.
    expect(g.route('A', 'B', 'PTS', 10n, 4, () => 0)).toBeNull();
  });

  it('forgets a pair whose channels changed, and keeps its memory bounded', () => {
    const mc = new MissionControl(1_000);
    mc.reportFailure('A', 'B', 'PTS', 10n, 0);
    mc.reportFailure('B', 'A', 'PTS', 10n, 0);
    mc.reportFailure('B', 'C', 'PTS', 10n, 0);
    mc.forgetPair('B', 'A');
    expect(mc.size()).toBe(1);
    // Old failures go as new ones come.
    for (let i = 0; i < 100; i++) mc.reportFailure(`N${i}`, 'X', 'PTS', 1n, 2_000 + i);
    expect(mc.size()).toBe(100);
    for (let i = 0; i < 20_000; i++) mc.reportFailure(`M${i}`, 'X', 'PTS', 1n, 2_500);
    expect(mc.size()).toBeLessThanOrEqual(10_000);
  });
});
