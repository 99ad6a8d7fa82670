// The demo leaves the passport's registrar (郑登记, the registering authority one signs in as) work of its
// own: a registration application naming it and a change filing of a firm it accepted, each filed by its
// legal representative; and the passport's certifying-body auditor a certificate it issued. A chain seeded
// before this part existed gets it on its next start; a restart files nothing twice, not even after the
// registrar decided.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accountFromPrivateKey } from '@gongxin/client';
import { fromHex, type Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts, passportGenesis } from '@gongxin/passport-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISES, DEMO_REGISTRAR_DESK, seedDemoEnterprises, seedRegistryDemo } from '../src/demo';
import { type RegistryHarness, startRegistryHarness } from './harness';

let h: RegistryHarness;
const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-registry-desks-'));
// The passport's registrar and certifying-body auditor, as the embedded suite's genesis has them.
const people = demoAccounts().filter((a) => a.id === 'registry-registrar' || a.id === 'registry-certifier');
const registrar = people.find((a) => a.id === 'registry-registrar')!;
const certifier = people.find((a) => a.id === 'registry-certifier')!;
const { accepted, pending, change, certificateNo } = DEMO_REGISTRAR_DESK;

beforeAll(async () => {
  const genesis = passportGenesis(people, { dataDir });
  h = await startRegistryHarness({}, { genesis: genesis as unknown as Record<string, Value> });
});
afterAll(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const registrarQueue = () =>
  h.caller(h.userOf(registrar.address, ['registry:authority'])).workbench.queue({ limit: 50 });

describe("the passport accounts' demo work", () => {
  it('reaches a chain seeded before it, on its next start', async () => {
    expect(await seedDemoEnterprises(h.services)).toBe(DEMO_ENTERPRISES.length);
    await h.caughtUp();
    expect((await registrarQueue()).registrations).toEqual([]);
    expect(await seedRegistryDemo(h.services)).toBe(2);
    await h.caughtUp();
  });

  it("leaves an application and a change filing before the passport's registrar, by named applicants", async () => {
    const queue = await registrarQueue();
    expect(queue.registrations.map((r) => [r.uscc, r.name, r.authority, r.life])).toEqual([
      [pending.uscc, pending.name, registrar.address, 'pending'],
    ]);
    const applicant = h.party(pending.rep);
    expect(queue.registrations[0]!.representative).toBe(applicant.address);
    expect(queue.names[applicant.address]).toBe('林晓燕');

    const filing = queue.filings.find((f) => f.uscc === accepted.uscc)!;
    expect(filing).toMatchObject({ kind: 'change', status: 'pending', name: accepted.name });
    expect(filing.filedReason).toBe(change.reason);
    expect(filing.diff).toEqual([
      { field: 'address', from: accepted.address, to: change.changes.address },
      { field: 'capital', from: accepted.capital.toString(), to: change.changes.capital.toString() },
    ]);
    expect(queue.names[filing.filedBy!]).toBe('黄建国');
    // The firm is the registrar's own: it accepted the registration.
    const firm = await h.anonymous.enterprises.get({ uscc: accepted.uscc });
    expect(firm.enterprise).toMatchObject({ life: 'active', authority: registrar.address });
    expect(firm.names[registrar.address]).toMatch(/福田监管局/);

    // Another authority is not offered the application it may not decide.
    const shenzhen = h.caller(h.userOf(h.party('samr-shenzhen').address, ['registry:authority']));
    expect((await shenzhen.workbench.queue({ limit: 50 })).registrations).toEqual([]);
  });

  it("shows the passport's certifying-body auditor a certificate it issued", async () => {
    const issued = await h.anonymous.certificates.list({ issuer: certifier.address, limit: 10 });
    expect(issued.map((c) => [c.no, c.holder, c.holderName, c.status])).toEqual([
      [certificateNo, DEMO_ENTERPRISES[4].uscc, DEMO_ENTERPRISES[4].name, 'valid'],
    ]);
  });

  it('seeds nothing twice on a restart, even after the registrar decided', async () => {
    const before = await registrarQueue();
    expect(await seedRegistryDemo(h.services)).toBe(0);
    await h.caughtUp();
    expect(await registrarQueue()).toEqual(before);

    // The registrar rejects the application and accepts the change; a restart sends neither again.
    const filing = before.filings.find((f) => f.uscc === accepted.uscc)!;
    const decided = await h.send(
      accountFromPrivateKey(getSuite('ed25519-sha256'), fromHex(registrar.privateKey)),
      [
        {
          contract: 'registry',
          name: 'decideRegistration',
          params: { uscc: pending.uscc, decision: 'reject', reason: '材料不全' },
        },
        {
          contract: 'registry',
          name: 'decideFiling',
          params: { id: filing.id, decision: 'accept', reason: '核准' },
        },
      ],
    );
    expect(decided.ok, decided.message).toBe(true);
    expect(await seedRegistryDemo(h.services)).toBe(0);
    await h.caughtUp();
    const after = await registrarQueue();
    expect(after.registrations).toEqual([]);
    expect(after.filings.filter((f) => f.uscc === accepted.uscc)).toEqual([]);
    expect(await h.anonymous.certificates.list({ issuer: certifier.address, limit: 10 })).toHaveLength(1);
  });
});
