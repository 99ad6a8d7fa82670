// The demo accounts that drive food capture from the sign-in page, as passport creates them on a demo
// chain: the co-op (enterprise-farm, food role farm) and a supermarket store (food-retailer, food role
// retailer). Signed in with the roles passport gives them, each captures from the staff form (the web's own
// document builder, run here) and signs the returned anchors with its own key, as the browser keyring
// does; the chain takes the anchors, and the lot's trace lists harvest, shipment and receipt, each with its
// chain link.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SessionUser } from '@gongxin/app-kit';
import type { Value } from '@gongxin/ledger';
import { type DemoAccount, demoAccounts, passportGenesis } from '@gongxin/passport-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFromForm, type EventForm } from '../../web/src/gs1';
import { glnOf, gtinOf, lotUri } from '../src/demo-chains';
import { appRouter } from '../src/router';
import type { CaptureReport } from '../src/runtime';
import { createCallerFactory } from '../src/trpc';
import { type FoodHarness, startFoodHarness } from './harness';

const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-food-demo-accounts-'));
let h: FoodHarness;
let accounts: DemoAccount[];
beforeAll(async () => {
  accounts = demoAccounts().filter((a) => a.id === 'enterprise-farm' || a.id === 'food-retailer');
  // Passport's genesis sections for these two accounts, beside the food app's organisations.
  const genesis = passportGenesis(accounts, { dataDir });
  h = await startFoodHarness({
    genesis: { identity: genesis.identity } as unknown as Record<string, Value>,
  });
});
afterAll(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const account = (id: string) => accounts.find((a) => a.id === id)!;
/** The session passport gives a demo account: its address and the roles of its ID token. */
const sessionOf = (account: DemoAccount): SessionUser => ({
  did: `did:gx:${account.address}`,
  address: account.address,
  roles: account.roles,
  sessionId: `s-${account.id}`,
});
const callerOf = (account: DemoAccount) =>
  createCallerFactory(appRouter)({
    user: sessionOf(account),
    requestId: 'test',
    logger: h.services.logger,
    services: h.services,
    ip: '127.0.0.1',
    app: h.app,
  } as never);

const form = (fields: Partial<EventForm>): EventForm => ({
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  epc: '',
  quantity: '1',
  gln: '',
  lotNumber: '',
  temperatures: '',
  eventTime: '',
  ...fields,
});

/** Captures a form as `account` and signs the anchors with its key, as the capture page does. */
async function captureAndSign(account: DemoAccount, fields: Partial<EventForm>): Promise<CaptureReport> {
  const report = await callerOf(account).capture.submit({
    document: documentFromForm(form(fields), h.app.now()),
  });
  if (report.anchor.by !== 'browser') throw new Error(`anchored by ${report.anchor.by}, not the account`);
  expect(report.anchor.actions).toHaveLength(1);
  const receipt = await h.sendAs(account.privateKey, report.anchor.actions);
  expect(receipt, receipt.code).toMatchObject({ ok: true });
  return report;
}

describe('the food demo farm and store', () => {
  it('are known to the food app by their roles', async () => {
    expect(await callerOf(account('enterprise-farm')).me()).toEqual({
      address: account('enterprise-farm').address,
      roles: ['farm'],
    });
    expect(await callerOf(account('food-retailer')).me()).toEqual({
      address: account('food-retailer').address,
      roles: ['retailer'],
    });
  });

  it('harvest and ship a co-op lot, receive it at the store, and the trace shows each step on chain', async () => {
    const farm = account('enterprise-farm');
    const store = account('food-retailer');
    const bokChoy = gtinOf('6901234', 101);
    const lot = lotUri(bokChoy, 'VEG-DEMO-01');
    const field = glnOf('6901234', 1);
    const shop = glnOf('6906234', 1);
    const hoursAgo = (n: number) => new Date(h.app.now() - n * 3_600_000).toISOString();

    const harvest = await captureAndSign(farm, {
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      epc: lot,
      quantity: '300',
      gln: field,
      lotNumber: 'VEG-DEMO-01',
      eventTime: hoursAgo(3),
    });
    await captureAndSign(farm, { epc: lot, quantity: '300', gln: field, eventTime: hoursAgo(2) });
    const receipt = await captureAndSign(store, {
      bizStep: 'receiving',
      disposition: 'in_progress',
      epc: lot,
      quantity: '300',
      gln: shop,
      eventTime: hoursAgo(1),
    });
    await h.caughtUp();

    const steps = await callerOf(store).trace.timeline({ epc: lot });
    expect(steps.map((s) => [s.bizStep, s.gln])).toEqual([
      ['commissioning', field],
      ['shipping', field],
      ['receiving', shop],
    ]);
    for (const step of steps) {
      expect(step.anchor, step.bizStep).toMatchObject({ txId: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(step.anchor!.height).toBeGreaterThan(0);
    }
    // The anchors are their own: nothing is left for them to sign.
    expect(await callerOf(farm).capture.pending()).toEqual([]);
    expect(await callerOf(store).capture.pending()).toEqual([]);
    const events = await callerOf(farm).events.list({ epc: lot, limit: 10 });
    const orgOf = new Map(events.items.map((e) => [e.hash, e.org]));
    expect(orgOf.get(harvest.events[0]!.hash)).toBe(farm.address);
    expect(orgOf.get(receipt.events[0]!.hash)).toBe(store.address);
  });
});
