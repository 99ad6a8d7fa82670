// What /metrics reads off the peer network: connected peers, drops by reason, and re-gossip.
import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createNodeMetrics } from '../src/api/metrics';
import type { ChainNode } from '../src/node';
import { COUNTER_REASONS, type PeerCounters } from '../src/p2p';

describe('node metrics', () => {
  it("export the peer network's drops by reason and its re-gossip as counters", async () => {
    const node = {
      stats: { height: 3, round: 0, mempoolSize: 0, committedTxs: 0, lastCommitLatencyMs: 0, badMessages: 0 },
      onBlock: () => () => {},
    } as unknown as ChainNode;
    const counters = Object.fromEntries(COUNTER_REASONS.map((r) => [r, 0])) as PeerCounters;
    const network = { peers: () => [{ key: 'a' }, { key: 'b' }, { key: 'c' }], counters, regossiped: 0 };
    const registry = new Registry();
    createNodeMetrics(node, { registry, network });

    let text = await registry.metrics();
    expect(text).toContain('gongxin_peers 3');
    expect(text).toContain('gongxin_p2p_dropped_total{reason="malformed"} 0');
    expect(text).toContain('gongxin_p2p_regossiped_total 0');

    counters.malformed += 4;
    counters.bad_signature += 1;
    network.regossiped = 7;
    text = await registry.metrics();
    expect(text).toContain('gongxin_p2p_dropped_total{reason="malformed"} 4');
    expect(text).toContain('gongxin_p2p_dropped_total{reason="bad_signature"} 1');
    expect(text).toContain('gongxin_p2p_dropped_total{reason="inbound_full"} 0');
    expect(text).toContain('gongxin_p2p_regossiped_total 7');

    // A second scrape adds only what happened since the first.
    counters.malformed += 1;
    text = await registry.metrics();
    expect(text).toContain('gongxin_p2p_dropped_total{reason="malformed"} 5');
    expect(text).toContain('gongxin_p2p_regossiped_total 7');
  });
});

describe('disk metrics', () => {
  it('report the free and total bytes of the disk the data folder is on', async () => {
    const node = {
      stats: { height: 3, round: 0, mempoolSize: 0, committedTxs: 0, lastCommitLatencyMs: 0, badMessages: 0 },
      onBlock: () => () => {},
    } as unknown as ChainNode;
    const registry = new Registry();
    createNodeMetrics(node, { registry, dataDir: tmpdir() });
    const text = await registry.metrics();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    const { bavail, bsize, blocks } = statfsSync(tmpdir());
    expect(value('gongxin_disk_total_bytes')).toBe(blocks * bsize);
    expect(value('gongxin_disk_free_bytes')).toBeGreaterThan(0);
    expect(Math.abs(value('gongxin_disk_free_bytes') - bavail * bsize)).toBeLessThan(1e9);

    // Without a data folder nothing about disks is exported.
    const bare = new Registry();
    createNodeMetrics(node, { registry: bare });
    expect(await bare.metrics()).not.toContain('gongxin_disk_');
  });
});
