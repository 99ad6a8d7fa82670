// Under a deployment clock set days before the wall clock (a rehearsal with CLOCK_START), chain health
// measures its windows back from the deployment clock's now, which block times follow: txs sent a moment
// ago count in the last minute's rate and in the per-minute series.
import { onRehearsalClock } from '@gongxin/app-kit/testing';
import { describe, expect, it } from 'vitest';
import { startExplorerChain } from './chain';

const rehearsal = onRehearsalClock(
  (clock) =>
    startExplorerChain({
      clock,
      contracts: ({ account }) => ({
        assets: {
          assets: [
            {
              symbol: 'GEN',
              name: '创世积分',
              decimals: 0,
              policy: 'fixed',
              issuer: account(20).address,
              balances: { [account(1).address]: '500' },
            },
          ],
        },
      }),
    }),
  (chain) => chain.close(),
);
const { clock } = rehearsal;

describe('explorer health on a deployment clock ten days behind the wall clock', () => {
  it('counts the txs just sent in the last minute', async () => {
    const chain = rehearsal.harness;
    for (let i = 0; i < 3; i++) {
      const r = await chain.send(chain.account(1), [
        {
          contract: 'assets',
          name: 'transfer',
          params: { symbol: 'GEN', to: chain.account(2).address, amount: 1n },
        },
      ]);
      expect(r.ok).toBe(true);
    }
    const health = await chain.query<{
      time: number;
      tps: { windowS: number; tps: number }[];
      txsPerMinute: { minute: number; txs: number }[];
    }>('health');
    expect(health.time).toBeLessThanOrEqual(clock());
    expect(health.tps[0]).toMatchObject({ windowS: 60 });
    expect(health.tps[0]!.tps).toBeGreaterThan(0);
    expect(health.txsPerMinute.reduce((n, m) => n + m.txs, 0)).toBe(3);
  });
});
