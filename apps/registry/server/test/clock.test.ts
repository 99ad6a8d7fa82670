// Under a deployment clock set days before the wall clock (a rehearsal with CLOCK_START), the registry's
// "now" is the deployment clock's, which block times and so every deadline on chain follow: a certificate
// verified as of today is verified as of that clock's now, the offline bundle and the company credential
// state their status as of it, and the sweeper checks deadlines at it.
import { onRehearsalClock } from '@gongxin/app-kit/testing';
import { describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISES, seedRegistryDemo } from '../src/demo';
import { startRegistryHarness } from './harness';

const chinaDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const [, , , , , xihu] = DEMO_ENTERPRISES;

const rehearsal = onRehearsalClock(
  async (clock) => {
    const h = await startRegistryHarness({}, { clock });
    expect(await seedRegistryDemo(h.services)).toBe(DEMO_ENTERPRISES.length);
    await h.caughtUp();
    return h;
  },
  (h) => h.close(),
);
const { clock } = rehearsal;

describe('registry on a deployment clock ten days behind the wall clock', () => {
  it('answers "now" and "today" on the deployment clock', async () => {
    const h = rehearsal.harness;
    const [cert] = await h.anonymous.certificates.list({ holder: xihu!.uscc });
    expect(cert).toBeDefined();
    const before = clock();
    const today = await h.anonymous.certificates.verify({ id: cert!.id, at: chinaDate(clock()) });
    expect(today.at).toBeGreaterThanOrEqual(before);
    expect(today.at).toBeLessThanOrEqual(clock());
    expect(today.statusAt).toBe('valid');

    const bundle = (await (
      await fetch(`${h.url}/registry/api/certificates/${cert!.id}/bundle.json`)
    ).json()) as { status: { at: number; now: number } };
    expect(bundle.status.now).toBeGreaterThanOrEqual(before);
    expect(bundle.status.now).toBeLessThanOrEqual(clock());
    expect(bundle.status.at).toBeLessThanOrEqual(clock());

    const credential = (await (
      await fetch(`${h.url}/registry/api/enterprises/${xihu!.uscc}/credential.json`)
    ).json()) as { credentialSubject: { asOf: string } };
    expect(Date.parse(credential.credentialSubject.asOf)).toBeLessThanOrEqual(clock());

    await h.app.sweepOnce();
    expect(h.app.lastSweep?.at).toBeGreaterThanOrEqual(before);
    expect(h.app.lastSweep?.at).toBeLessThanOrEqual(clock());
  });
});
