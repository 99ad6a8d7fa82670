// Under a deployment clock set days before the wall clock (a rehearsal with CLOCK_START), a red packet's
// expiry is decided on it, as the chain decides by block time: a packet that expires in an hour on that
// clock is open, though its expiry lies days behind the wall clock.
import { onRehearsalClock } from '@gongxin/app-kit/testing';
import { describe, expect, it } from 'vitest';
import { startHarness } from './harness';

const rehearsal = onRehearsalClock(
  (clock) => startHarness({ clock }),
  (h) => h.close(),
);
const { clock } = rehearsal;

describe('wallet on a deployment clock ten days behind the wall clock', () => {
  it('shows a packet open until its expiry on the deployment clock', async () => {
    const h = rehearsal.harness;
    const { bob, carol } = h.people;
    const expiresAt = clock() + 3_600_000;
    const created = await h.send(bob, [
      {
        contract: 'assets',
        name: 'createPacket',
        params: { symbol: 'GENX', total: 10, count: 2, split: 'equal', expiresAt },
      },
    ]);
    expect(created.ok, created.code).toBe(true);
    const claimed = await h.send(carol, [
      { contract: 'assets', name: 'claimPacket', params: { id: created.id } },
    ]);
    expect(claimed.ok, claimed.code).toBe(true);
    const packet = await h.caller(null).packets.get({ id: created.id });
    expect(packet).toMatchObject({ expiresAt, expired: false });
    const mine = await h.caller(h.userOf(bob)).packets.mine();
    expect(mine.created.find((p) => p.id === created.id)).toMatchObject({ expired: false });
  });
});
