// The members' console API against a real single-validator chain: a proposal passed by the validator's
// operator is listed with its vote (and the vote's tx), tally, threshold and outcome; a non-member's
// proposal is refused by the contract and never listed; the validators' signing comes from the blocks'
// certificates; node health is read from a node's /metrics, and a node that does not answer is a sample
// saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalItem, ValidatorSigning } from '../src/read/governance';
import { quorumThreshold } from '../src/read/governance';
import { NodeWatcher, parseMetrics, sampleFromMetrics } from '../src/read/nodes';
import { type ExplorerChain, startExplorerChain, TrpcHttpError } from './chain';

let chain: ExplorerChain;

beforeAll(async () => {
  chain = await startExplorerChain({ contracts: () => ({}) });
});

afterAll(async () => {
  await chain?.close();
});

describe('members: proposals', () => {
  it('lists a passed proposal with its votes, tally, threshold and outcome', async () => {
    const operator = chain.account(1_000_001);
    const stranger = chain.account(5);
    const refused = await chain.send(stranger, [
      {
        contract: 'governance',
        name: 'propose',
        params: { kind: 'setParam', payload: { name: 'fee.base', value: 1 } },
      },
    ]);
    expect(refused.ok).toBe(false);

    const sent = await chain.send(operator, [
      {
        contract: 'governance',
        name: 'propose',
        params: { kind: 'setParam', payload: { name: 'parking.graceMinutes', value: 15 } },
      },
    ]);
    expect(sent.ok).toBe(true);
    const { proposals, height } = await chain.query<{ proposals: ProposalItem[]; height: number }>(
      'members.proposals',
    );
    expect(height).toBeGreaterThanOrEqual(sent.height);
    expect(proposals).toHaveLength(1);
    const [p] = proposals;
    expect(p).toMatchObject({
      id: sent.id,
      kind: 'setParam',
      payload: { name: 'parking.graceMinutes', value: 15 },
      proposer: operator.address,
      status: 'passed',
      yes: 10,
      no: 0,
      totalPower: 10,
      threshold: 7,
      txId: sent.id,
      decidedTxId: sent.id,
      decidedHeight: sent.height,
      activationHeight: null,
    });
    expect(p!.votes).toEqual([
      {
        operator: operator.address,
        validators: ['validator-1'],
        approve: true,
        power: 10,
        txId: sent.id,
        height: sent.height,
      },
    ]);

    const one = await chain.query<{ proposal: ProposalItem }>('members.proposal', { id: sent.id });
    expect(one.proposal).toEqual(p);
    await expect(chain.query('members.proposal', { id: 'ab'.repeat(32) })).rejects.toMatchObject({
      status: 404,
    });
    await expect(chain.query('members.proposal', { id: 'not-an-id' })).rejects.toBeInstanceOf(TrpcHttpError);
  });

  it("lists the newest first, with a contract version's activation height", async () => {
    const operator = chain.account(1_000_001);
    const head = chain.node.head.height;
    const sent = await chain.send(operator, [
      {
        contract: 'governance',
        name: 'propose',
        params: { kind: 'activateContract', payload: { contract: 'parking', version: 2, height: head + 50 } },
      },
    ]);
    expect(sent.ok).toBe(true);
    const { proposals } = await chain.query<{ proposals: ProposalItem[] }>('members.proposals');
    expect(proposals.map((p) => p.kind)).toEqual(['activateContract', 'setParam']);
    expect(proposals[0]).toMatchObject({ id: sent.id, status: 'passed', activationHeight: head + 50 });
  });

  it('needs more than two thirds of the power to pass', () => {
    expect([1, 3, 10, 40, 50].map(quorumThreshold)).toEqual([1, 3, 7, 27, 34]);
  });
});

describe('members: validators', () => {
  it('says which recent blocks each validator signed, from the certificates', async () => {
    await chain.send(chain.account(6), [
      { contract: 'notary', name: 'anchor', params: { hash: 'cd'.repeat(32), type: 'file' } },
    ]);
    const answer = await chain.query<{
      height: number;
      validators: ValidatorSigning[];
      members: { operator: string; validators: string[]; power: number }[];
    }>('members.validators');
    const [v] = answer.validators;
    expect(v).toMatchObject({ name: 'validator-1', power: 10, lastSignedHeight: answer.height });
    expect(v!.signed).toBe(v!.window);
    expect(v!.window).toBe(Math.min(10, answer.height));
    expect(answer.members).toEqual([
      { operator: chain.account(1_000_001).address, validators: ['validator-1'], power: 10 },
    ]);
  });
});

describe('members: node health', () => {
  it('reads height, round and mempool from /metrics, and a node that does not answer is down', async () => {
    const watcher = new NodeWatcher([
      { name: 'validator', url: `${chain.url}/chain` },
      { name: 'gone', url: 'http://127.0.0.1:9' },
    ]);
    await watcher.scrape();
    await watcher.scrape();
    const [up, gone] = watcher.health();
    expect(up!.samples).toHaveLength(2);
    expect(up!.last).toMatchObject({ up: true, height: chain.node.head.height, round: expect.any(Number) });
    expect(up!.last!.mempool).toBe(0);
    expect(gone!.last).toMatchObject({ up: false, height: null });
    expect(gone!.last!.error).toBeTruthy();
  });

  it('parses Prometheus text, skipping comments, labelled series and non-numbers', () => {
    const text = [
      '# HELP gongxin_chain_height Height',
      '# TYPE gongxin_chain_height gauge',
      'gongxin_chain_height 1234',
      'gongxin_peers 4',
      'gongxin_p2p_dropped_total{reason="malformed"} 3',
      'gongxin_disk_free_bytes 5.5e+10',
      'gongxin_disk_total_bytes 1e+11',
      'gongxin_consensus_round NaN',
      'garbage line',
    ].join('\n');
    expect(parseMetrics(text).get('gongxin_p2p_dropped_total')).toBeUndefined();
    expect(sampleFromMetrics(text, 7)).toEqual({
      time: 7,
      up: true,
      height: 1234,
      peers: 4,
      round: null,
      mempool: null,
      commitLatencyMs: null,
      diskFreeBytes: 55_000_000_000,
      diskTotalBytes: 100_000_000_000,
    });
  });

  it('keeps the last samples only', async () => {
    let n = 0;
    const watcher = new NodeWatcher([{ name: 'n', url: 'http://node' }], {
      fetch: (async () => new Response(`gongxin_chain_height ${++n}\n`)) as typeof fetch,
    });
    for (let i = 0; i < 100; i++) await watcher.scrape();
    const [h] = watcher.health();
    expect(h!.samples).toHaveLength(90);
    expect(h!.samples[0]!.height).toBe(11);
    expect(h!.last!.height).toBe(100);
  });
});
