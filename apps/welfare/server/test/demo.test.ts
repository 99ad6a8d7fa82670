// The demo seed on a new demo chain: 古城区 with its standard from the month before genesis (that month
// is paid and closed by the seed: see demo-month.test.ts), three households at 公示 (one with an objection), a shared-account alert for two of them,
// reported by and owned by the passport demo's auditor (who signs in), ID numbers on chain only as keyed
// hashes; a second run changes nothing.
import { addMonths } from '@gongxin/contracts';
import { demoAccounts } from '@gongxin/passport-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, applications, areas, households, objections } from '../src/db/schema';
import { periodAt, seedWelfareDemo } from '../src/demo';
import { DEMO_CITIZENS } from '../src/people';
import { startWelfareHarness, type WelfareHarness } from './harness';

let h: WelfareHarness;
beforeAll(async () => {
  h = await startWelfareHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('demo seed', () => {
  it('opens three households at 公示 and is idempotent', async () => {
    expect(await seedWelfareDemo(h.services)).toBe(3);
    await h.caughtUp();
    const db = h.database.db;
    expect(await db.select().from(households)).toHaveLength(3);
    expect((await db.select().from(applications)).map((a) => a.step)).toEqual([
      'publicised',
      'publicised',
      'publicised',
    ]);
    expect(await db.select().from(objections)).toHaveLength(1);
    // The auditor's report of one bank account for two unrelated households: an open alert on chain.
    const raised = await db.select().from(alerts);
    expect(raised).toEqual([
      expect.objectContaining({
        kind: 'shared_account',
        owner: h.person('welfare-auditor').address,
        outcome: null,
      }),
    ]);
    expect(raised[0]!.subject).toMatch(/^[0-9a-f]{64}$/);
    const [zhao, , li] = await db.select().from(households).orderBy(households.height);
    expect(raised[0]!.detail).toBe(`households ${zhao!.id} ${li!.id}`);
    expect(raised[0]!.households).toEqual([zhao!.id, li!.id]);
    // Owned by the auditor who signs in: the passport demo's 吴审计, who reported it too.
    const wu = demoAccounts(h.suite).find((a) => a.id === 'welfare-auditor')!;
    expect(raised[0]!.owner).toBe(wu.address);
    expect((await h.services.chain.client.getTx(raised[0]!.txId)).body?.from).toBe(wu.address);
    // The area genesis made is in the read model, its standard in force from the month before genesis.
    expect(await db.select().from(areas)).toEqual([
      expect.objectContaining({
        code: '530702',
        standard: 80_000n,
        standardFrom: addMonths(periodAt(Date.now()), -1),
      }),
    ]);
    expect(await seedWelfareDemo(h.services)).toBe(0);
    await h.caughtUp();
    expect(await db.select().from(households)).toHaveLength(3);
    expect(await db.select().from(alerts)).toHaveLength(1);
    // No ID number appears anywhere on chain.
    const events = await h.services.chain.client.events({ contract: 'welfare' } as never);
    const blocks = JSON.stringify(events);
    for (const c of DEMO_CITIZENS) expect(blocks).not.toContain(c.idNumber);
    const file = await h.services.chain.client.state(
      `welfare/household/${(await db.select().from(households))[0]!.id}`,
    );
    const text = JSON.stringify(file.value);
    for (const c of DEMO_CITIZENS) expect(text).not.toContain(c.idNumber);
    expect(text).toMatch(/"idHash":"[0-9a-f]{64}"/);
  });
});
