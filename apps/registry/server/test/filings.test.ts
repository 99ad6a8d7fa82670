// A change filing as the authority's workbench and the enterprise's history show it: each field old → new
// with the filer's reason while it waits, then the decision with its reason, tx and block; and the
// accounts a page shows (the registering authority, a certificate's issuer) named, not only addressed.

import { clockOf } from '@gongxin/app-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISES, seedRegistryDemo } from '../src/demo';
import { type RegistryHarness, startRegistryHarness } from './harness';

const DAY = 86_400_000;
let h: RegistryHarness;
const [pengcheng, nanshan, , , , xihu] = DEMO_ENTERPRISES;

beforeAll(async () => {
  h = await startRegistryHarness();
  await seedRegistryDemo(h.services);
  await h.caughtUp();
});
afterAll(async () => {
  await h?.close();
});

describe('change filings', () => {
  it('reach the workbench with each field old → new, and the history with the decision’s tx', async () => {
    const before = await h.anonymous.enterprises.get({ uscc: pengcheng!.uscc });
    // The address the chain keeps, though the registration event does not carry it.
    expect(before.enterprise.address).toMatch(/^广东省深圳市/);
    const filed = await h.as('rep-chen', [
      {
        contract: 'registry',
        name: 'fileChange',
        params: {
          uscc: pengcheng!.uscc,
          changes: { address: '广东省深圳市南山区科技园科苑路15号', capital: 1_200_000_000n },
          effectiveOn: '2026-01-05',
          reason: '迁址并增资',
        },
      },
    ]);
    expect(filed.ok, filed.message).toBe(true);
    await h.caughtUp();

    const authority = h.caller(h.userOf(h.party('samr-shenzhen').address, ['registry:authority']));
    const queue = await authority.workbench.queue({ limit: 20 });
    const pending = queue.filings.find((f) => f.uscc === pengcheng!.uscc)!;
    expect(pending).toMatchObject({
      kind: 'change',
      status: 'pending',
      name: before.enterprise.name,
      filedReason: '迁址并增资',
      filedBy: h.party('rep-chen').address,
      decision: null,
    });
    expect(pending.diff).toEqual([
      { field: 'address', from: before.enterprise.address, to: '广东省深圳市南山区科技园科苑路15号' },
      { field: 'capital', from: before.enterprise.capital, to: '1200000000' },
    ]);
    expect(queue.names[h.party('rep-chen').address]).toBe('陈志强');

    const decided = await h.as('samr-shenzhen', [
      {
        contract: 'registry',
        name: 'decideFiling',
        params: { id: pending.id, decision: 'accept', reason: '材料齐全，准予变更' },
      },
    ]);
    expect(decided.ok, decided.message).toBe(true);
    await h.caughtUp();

    expect((await authority.workbench.queue({ limit: 20 })).filings.map((f) => f.id)).not.toContain(
      pending.id,
    );
    const after = await h.anonymous.enterprises.get({ uscc: pengcheng!.uscc });
    expect(after.enterprise.address).toBe('广东省深圳市南山区科技园科苑路15号');
    const history = after.filings.find((f) => f.id === pending.id)!;
    expect(history).toMatchObject({
      status: 'accepted',
      decision: {
        reason: '材料齐全，准予变更',
        by: h.party('samr-shenzhen').address,
        txId: decided.id,
        height: decided.height,
      },
    });
    // What it changed from as of the decision, not the enterprise's values now.
    expect(history.diff).toEqual([
      { field: 'address', from: before.enterprise.address, to: '广东省深圳市南山区科技园科苑路15号' },
      { field: 'capital', from: before.enterprise.capital, to: '1200000000' },
    ]);
    expect(after.names[h.party('samr-shenzhen').address]).toBe('深圳市市场监督管理局');
  });

  it('shows a rejected filing with the authority’s reason and what was asked', async () => {
    const { industry: industryBefore } = (await h.anonymous.enterprises.get({ uscc: pengcheng!.uscc }))
      .enterprise;
    const filed = await h.as('rep-chen', [
      {
        contract: 'registry',
        name: 'fileChange',
        params: {
          uscc: pengcheng!.uscc,
          changes: { industry: 'C3982' },
          effectiveOn: '2026-01-06',
          reason: '调整主营',
        },
      },
    ]);
    expect(filed.ok, filed.message).toBe(true);
    await h.caughtUp();
    const authority = h.caller(h.userOf(h.party('samr-shenzhen').address, ['registry:authority']));
    const pending = (await authority.workbench.queue({ limit: 20 })).filings.find(
      (f) => f.uscc === pengcheng!.uscc,
    )!;
    const decided = await h.as('samr-shenzhen', [
      {
        contract: 'registry',
        name: 'decideFiling',
        params: { id: pending.id, decision: 'reject', reason: '经营范围材料不全' },
      },
    ]);
    expect(decided.ok, decided.message).toBe(true);
    await h.caughtUp();
    const rec = await h.anonymous.enterprises.get({ uscc: pengcheng!.uscc });
    expect(rec.enterprise.industry).not.toBe('C3982');
    expect(rec.filings[0]).toMatchObject({
      id: pending.id,
      status: 'rejected',
      diff: [{ field: 'industry', from: industryBefore, to: 'C3982' }],
      decision: { reason: '经营范围材料不全', txId: decided.id },
    });

    // A later accepted change of the same field: the refused filing still reads against the value it
    // would have replaced, not the enterprise's value now.
    const later = await h.as('rep-chen', [
      {
        contract: 'registry',
        name: 'fileChange',
        params: {
          uscc: pengcheng!.uscc,
          changes: { industry: 'C3983' },
          effectiveOn: '2026-01-07',
          reason: '补正材料后调整主营',
        },
      },
    ]);
    expect(later.ok, later.message).toBe(true);
    await h.caughtUp();
    const second = (await authority.workbench.queue({ limit: 20 })).filings.find(
      (f) => f.uscc === pengcheng!.uscc,
    )!;
    const accepted = await h.as('samr-shenzhen', [
      {
        contract: 'registry',
        name: 'decideFiling',
        params: { id: second.id, decision: 'accept', reason: '材料齐全，准予变更' },
      },
    ]);
    expect(accepted.ok, accepted.message).toBe(true);
    await h.caughtUp();
    const now = await h.anonymous.enterprises.get({ uscc: pengcheng!.uscc });
    expect(now.enterprise.industry).toBe('C3983');
    expect(now.filings.find((f) => f.id === pending.id)!.diff).toEqual([
      { field: 'industry', from: industryBefore, to: 'C3982' },
    ]);
    expect(now.filings.find((f) => f.id === second.id)!.diff).toEqual([
      { field: 'industry', from: industryBefore, to: 'C3983' },
    ]);
  });
});

describe('merger and deregistration filings', () => {
  it('a merger as the page files it: the absorbed one ends, naming its successor and when', async () => {
    // A certificate the absorbed one holds: valid until its holder ends.
    const now = clockOf(h.services)();
    const issued = await h.as('cqc', [
      {
        contract: 'registry',
        name: 'issueCertificate',
        params: {
          holder: nanshan!.uscc,
          no: '2026010907000777',
          scheme: 'CCC 强制性产品认证',
          scope: '电源适配器的设计、生产',
          standard: 'GB 4943.1-2022',
          product: '电源适配器',
          industry: 'C3971',
          classification: '0907',
          validFrom: now - DAY,
          validUntil: now + 365 * DAY,
        },
      },
    ]);
    expect(issued.ok, issued.message).toBe(true);
    await h.caughtUp();
    const [cert] = await h.anonymous.certificates.list({ holder: nanshan!.uscc });
    expect(cert).toMatchObject({ status: 'valid', holderEnded: null });
    const valid = await h.anonymous.certificates.verify({ id: cert!.id });
    expect(valid).toMatchObject({ statusNow: 'valid', holderEnded: null });
    const issuedAt = valid.history[0]!.from;

    // Both are 陈志强's: the merger form signs the absorbed one's deregistration, the survivor named.
    const reason = `吸收合并，存续企业：${pengcheng!.name}（${pengcheng!.uscc}）；2026年1月8日签订的合并协议`;
    const filed = await h.as('rep-chen', [
      {
        contract: 'registry',
        name: 'fileDeregistration',
        params: { uscc: nanshan!.uscc, effectiveOn: '2026-01-08', reason, successor: pengcheng!.uscc },
      },
    ]);
    expect(filed.ok, filed.message).toBe(true);
    await h.caughtUp();
    const authority = h.caller(h.userOf(h.party('samr-shenzhen').address, ['registry:authority']));
    const pending = (await authority.workbench.queue({ limit: 20 })).filings.find(
      (f) => f.uscc === nanshan!.uscc,
    )!;
    expect(pending).toMatchObject({
      kind: 'merge',
      successor: pengcheng!.uscc,
      filedReason: reason,
      diff: [],
    });
    const decided = await h.as('samr-shenzhen', [
      {
        contract: 'registry',
        name: 'decideFiling',
        params: { id: pending.id, decision: 'accept', reason: '准予合并注销' },
      },
    ]);
    expect(decided.ok, decided.message).toBe(true);
    await h.caughtUp();
    const rec = await h.anonymous.enterprises.get({ uscc: nanshan!.uscc });
    expect(rec.enterprise.life).toBe('merged');
    expect(rec.live).toMatchObject({ life: 'merged', successor: pengcheng!.uscc });
    expect(rec.live!.endedAt).toBeGreaterThan(0);
    expect(rec.filings[0]).toMatchObject({ kind: 'merge', status: 'accepted', successor: pengcheng!.uscc });
    // Its certificate is no longer valid, saying how and when it ended, with the decision's tx and block.
    const ended = {
      life: 'merged',
      effectiveAt: rec.live!.endedAt,
      successor: pengcheng!.uscc,
      txId: decided.id,
      height: decided.height,
    };
    expect(rec.certificates).toEqual([
      expect.objectContaining({ id: cert!.id, status: 'holder_ended', holderEnded: ended }),
    ]);
    expect(await h.anonymous.certificates.list({ holder: nanshan!.uscc })).toEqual([
      expect.objectContaining({ status: 'holder_ended', holderEnded: ended }),
    ]);
    const check = await h.anonymous.certificates.verify({ id: cert!.id });
    expect(check).toMatchObject({ statusNow: 'holder_ended', statusAt: 'holder_ended', holderEnded: ended });
    // Before it ended, it was valid: a purchase then was covered.
    const before = await h.anonymous.certificates.verify({
      id: cert!.id,
      at: issuedAt,
    });
    expect(before.statusAt).toBe('valid');
    expect(before.statusNow).toBe('holder_ended');
    const bundle = (await (
      await fetch(`${h.url}/registry/api/certificates/${cert!.id}/bundle.json`)
    ).json()) as { status: { statusNow: string; holderEnded: { txId: string } } };
    expect(bundle.status.statusNow).toBe('holder_ended');
    expect(bundle.status.holderEnded.txId).toBe(decided.id);
    // An active enterprise has not ended.
    expect((await h.anonymous.enterprises.get({ uscc: pengcheng!.uscc })).live).toMatchObject({
      life: 'active',
      endedAt: null,
      successor: null,
    });
  });
});

describe('account names', () => {
  it('names a certificate’s issuer and the registering authority', async () => {
    const [cert] = await h.anonymous.certificates.list({ holder: xihu!.uscc });
    const check = await h.anonymous.certificates.verify({ id: cert!.id });
    expect(check.certificate.issuer).toBe(h.party('cqc').address);
    expect(check.issuerName).toBe('中国质量认证中心（演示）');
    const rec = await h.anonymous.enterprises.get({ uscc: xihu!.uscc });
    expect(rec.names[rec.enterprise.authority]).toBe('杭州市西湖区市场监督管理局');
  });
});
