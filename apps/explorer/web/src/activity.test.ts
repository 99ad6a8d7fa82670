import { describe, expect, it } from 'vitest';
import { activityRows } from './activity';
import type { ActivityItem } from './api';

const li = 'gx1zfaj40pew8alp60rxahhazx574dx3lxk3enms0';
const unlocked = {
  index: 4,
  contract: 'assets',
  name: 'unlocked',
  attrs: { to: li, amount: '5000', symbol: 'TEA' },
};
const claimed = {
  index: 5,
  contract: 'assets',
  name: 'packetClaimed',
  attrs: { claimer: li, amount: '5000' },
};
const base = { time: 1_796_000_000_000, ok: true, code: null, eventCount: 2 };

describe('activity rows', () => {
  it('makes the records of one tx one row: every role, each event once, verifiable per event and as a tx', () => {
    const items: ActivityItem[] = [
      { ...base, height: 37, txIndex: 0, eventIndex: 5, txId: 'aa', roles: ['claimer'], events: [claimed] },
      { ...base, height: 37, txIndex: 0, eventIndex: 4, txId: 'aa', roles: ['to'], events: [unlocked] },
      {
        ...base,
        height: 37,
        txIndex: 0,
        eventIndex: -1,
        txId: 'aa',
        roles: ['sender'],
        events: [unlocked, claimed],
      },
      // An older tx of another block that only names the account.
      {
        ...base,
        height: 30,
        txIndex: 2,
        eventIndex: 9,
        txId: 'bb',
        roles: ['to'],
        events: [{ ...unlocked, index: 9 }],
      },
    ];
    const rows = activityRows(items);
    expect(rows.map((r) => r.key)).toEqual(['37.0', '30.2']);
    const [claim, older] = rows;
    expect(claim!.roles.map((r) => [r.role, r.event?.name])).toEqual([
      ['claimer', 'packetClaimed'],
      ['to', 'unlocked'],
      ['sender', undefined],
    ]);
    expect(claim!.sent).toBe(true);
    expect(claim!.events.map((e) => [e.event.name, e.names])).toEqual([
      ['unlocked', true],
      ['packetClaimed', true],
    ]);
    expect(older!.sent).toBe(false);
    expect(older!.events.map((e) => [e.event.index, e.names])).toEqual([[9, true]]);
  });

  it('keeps a sent tx whose events do not name the account verifiable as a tx only', () => {
    const rows = activityRows([
      { ...base, height: 3, txIndex: 1, eventIndex: -1, txId: 'cc', roles: ['sender'], events: [unlocked] },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sent).toBe(true);
    expect(rows[0]!.events.map((e) => e.names)).toEqual([false]);
  });
});
