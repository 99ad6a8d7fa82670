// What must hold of the channels contract's state after every block. Per channel and asset: deposits are
// never negative; once settled, deposits = balances + locked = payouts (nothing created, nothing lost).
// The units a channel still holds (all deposits while open or closing, the payouts not yet withdrawn once
// settled) are reported to the assets invariant, which checks them against the assets' locked pool.
import { asBigInt, type Value } from '@gongxin/ledger';
import type { ScannableState } from '../invariants';
import { type Channel, channelOf } from './contract';

const bi = (v: unknown) => asBigInt(v as Value) ?? 0n;

export function checkChannelsState(state: ScannableState): {
  problems: string[];
  escrowed: Map<string, bigint>;
} {
  const problems: string[] = [];
  const escrowed = new Map<string, bigint>();
  const hold = (symbol: string, amount: bigint) =>
    escrowed.set(symbol, (escrowed.get(symbol) ?? 0n) + amount);
  for (const [key] of state.scan('channels/channel/')) {
    const channel = channelOf(state, key.slice('channels/channel/'.length)) as Channel;
    for (const [symbol, asset] of Object.entries(channel.assets)) {
      const deposits = asset.depositA + asset.depositB;
      if (asset.depositA < 0n || asset.depositB < 0n)
        problems.push(`${key} ${symbol}: a negative deposit ${asset.depositA}/${asset.depositB}`);
      if (channel.status !== 'settled') {
        hold(symbol, deposits);
        continue;
      }
      const s = channel.settled?.[symbol];
      if (!s) {
        problems.push(`${key}: settled without a settlement of ${symbol}`);
        continue;
      }
      const [balA, balB, lockA, lockB, payA, payB] = [
        s.balanceA,
        s.balanceB,
        s.lockedA,
        s.lockedB,
        s.payoutA,
        s.payoutB,
      ].map(bi) as [bigint, bigint, bigint, bigint, bigint, bigint];
      if (bi(s.depositA) !== asset.depositA || bi(s.depositB) !== asset.depositB)
        problems.push(`${key} ${symbol}: the settlement's deposits differ from the channel's`);
      if (balA + balB + lockA + lockB !== deposits)
        problems.push(
          `${key} ${symbol}: deposits ${deposits} != balances ${balA + balB} + locked ${lockA + lockB}`,
        );
      if (payA + payB !== deposits)
        problems.push(`${key} ${symbol}: deposits ${deposits} != payouts ${payA} + ${payB}`);
      if ([balA, balB, lockA, lockB, payA, payB].some((x) => x < 0n))
        problems.push(`${key} ${symbol}: a negative amount in the settlement`);
      hold(symbol, (channel.withdrawnA ? 0n : payA) + (channel.withdrawnB ? 0n : payB));
    }
  }
  return { problems, escrowed };
}
