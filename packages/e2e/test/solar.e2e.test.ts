// Solar energy in Chromium. The suite starts its demo (plants registered on chain with their meters, and
// simulated gateways publishing the day's signed readings) on a deployment clock that starts on the last
// day of a month and that the test moves forward (CLOCK_START, CLOCK_CONTROL): a 15-minute slot and a
// month end pass in seconds, while every reading is still a signed gateway batch over MQTT and every
// settlement and certificate comes from anchored intervals.
//
// 1. The owner's dashboard fills from the demo gateways; a reading's audit path verifies in the browser.
// 2. The journey: an owner registers a plant and its meter; the meter's gateway publishes the day's
//    readings over the broker; the dashboard shows the plant; the owner sells the next slot and a buyer
//    buys it; the clock passes the slot, the gateway reports it, its interval is anchored; the slot clears
//    and settles against the anchored reading; the month ends, its certificates are issued from the
//    anchored generation and one is retired; the explorer shows each step decoded with a verifying proof.
import { createChainClient, createWallet } from '@gongxin/client';
import type { ValueMap } from '@gongxin/ledger';
import { type EmbeddedBroker, startEmbeddedBroker } from '@gongxin/mqtt';
import { deviceKeyFromSeed, Gateway, MqttPublisher, SimulatedPlant } from '@gongxin/solar-meter';
import { demoParty, demoPartyAccounts } from '@gongxin/solar-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot, startSuiteProcess } from '../src/harness';
import { AppJourney, PHONE, until } from '../src/journey';

const MIN = 60_000;
const SLOT = 15 * MIN;
/** The last day of November 2026, 11:20 in China: the month ends this evening. */
const CLOCK_START = '2026-11-30T11:20:00+08:00';
const MONTH = '2026-11';
const MONTH_END = Date.parse('2026-12-01T00:00:00+08:00');
const DAY_START = Date.parse('2026-11-30T00:00:00+08:00');

let broker: EmbeddedBroker;
let suite: SuiteProcess;
let browser: Browser;
let journey: AppJourney;

beforeAll(async () => {
  // The gateways of the journey publish to the broker the suite ingests from.
  broker = await startEmbeddedBroker();
  [suite, browser] = await Promise.all([
    startSuiteProcess({ DEMO: 'true', MQTT_URL: broker.url, CLOCK_START, CLOCK_CONTROL: 'true' }, 180_000),
    launchBrowser(),
  ]);
  journey = new AppJourney(browser, suite, 'solar');
}, 240_000);

afterAll(async () => {
  await journey?.close();
  await browser?.close();
  await suite?.stop();
  await broker?.close();
});

const detail = () => suite.output().slice(-3000);

async function clockNow(): Promise<number> {
  const res = await fetch(`${suite.url}/clock`);
  return ((await res.json()) as { now: number }).now;
}

async function advanceClock(to: number): Promise<void> {
  const res = await fetch(`${suite.url}/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

type Interval = { meter: string; start: number; anchor: { txId: string; estimated: boolean } | null };
const intervalsOf = (plant: string, day?: number) =>
  journey.trpc<{ intervals: Interval[] }>('plants.get', { id: plant, ...(day && { day }) });

/** Waits until the demo plant's intervals are anchored on chain. */
async function anchored(plant: string): Promise<number> {
  return until(
    async () => {
      const n = (await intervalsOf(plant)).intervals.filter((i) => i.anchor !== null).length;
      return n >= 4 && n;
    },
    240_000,
    `the demo plant ${plant} anchored`,
    detail,
  );
}

async function openDashboard(page: Page, plant: string): Promise<void> {
  await page.goto(journey.url('/'));
  await page.getByTestId(`plant-${plant}`).click();
  await page.getByTestId('generation-chart').locator('svg').first().waitFor();
}

describe('solar energy in Chromium', () => {
  it('fills the owner dashboard from the gateways, and a reading verifies against its anchored root', async () => {
    expect(await anchored('sh-minhang-01')).toBeGreaterThanOrEqual(4);
    const page = await journey.page('owner');
    await openDashboard(page, 'sh-minhang-01');
    const verify = page.locator('[data-test^="verify-1"]').first();
    await verify.waitFor();
    await verify.click();
    const proof = page.getByTestId('proof');
    await expect.poll(() => proof.textContent(), { timeout: 20_000 }).toContain('✓');
    await proof.getByTestId('verify-button').click();
    const result = proof.getByTestId('verify-result');
    await result.waitFor({ timeout: 30_000 });
    await expect.poll(() => result.locator('.el-alert--success').count(), { timeout: 30_000 }).toBe(1);
    // From the top: the header is sticky, and a full-page shot of a scrolled page shows it mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await saveScreenshot(page, 'solar-dashboard-desktop');

    const phone = await journey.page('owner (phone)', PHONE);
    await openDashboard(phone, 'js-yancheng-02');
    await phone.getByTestId('health').waitFor();
    await saveScreenshot(phone, 'solar-dashboard-phone');
  });

  it('runs a plant from registration through a settled slot to a retired certificate', async () => {
    const started = Date.now();
    const parties = demoPartyAccounts();
    const client = createChainClient({ url: `${suite.url}/chain` });
    const owner = demoParty(parties, 'zhang-wei');
    const buyer = demoParty(parties, 'jinghua-textile');
    const operator = demoParty(parties, 'grid-operator');
    const send = async (who: typeof owner, name: string, params: ValueMap) => {
      const receipt = await createWallet(client, who.account).send([{ contract: 'energy', name, params }]);
      expect(receipt.ok, `${name}: ${receipt.code} ${receipt.message}`).toBe(true);
      return receipt.id;
    };
    const txs: [string, string][] = [];

    // 1. The owner registers a 2 MW plant and its meter with the gateway's device key; the operator certifies it.
    const plant = 'e2e-fengxian-07';
    const meter = `${plant}-m1`;
    const key = deviceKeyFromSeed(new Uint8Array(32).fill(7));
    const registerTx = await createWallet(client, owner.account).send([
      {
        contract: 'energy',
        name: 'registerPlant',
        params: {
          id: plant,
          name: '奉贤园区屋顶光伏',
          capacityW: 2_000_000,
          lat: 30_918_000,
          lon: 121_474_000,
          commissioned: Date.UTC(2025, 2, 1),
        },
      },
      { contract: 'energy', name: 'registerMeter', params: { id: meter, plant, key: key.publicKey } },
    ]);
    expect(registerTx.ok, registerTx.message).toBe(true);
    txs.push([registerTx.id, 'energy.registerPlant']);
    await send(operator, 'certifyPlant', { id: plant });

    // 2. Its gateway publishes the day's readings so far, signed, over MQTT.
    const gateway = new Gateway({
      meter,
      adapter: new SimulatedPlant({
        capacityW: 2_000_000,
        lat: 30.918,
        lon: 121.474,
        seed: 7,
        start: DAY_START,
      }),
      privateKey: key.privateKey,
      epoch: 1,
      batchEveryMs: SLOT,
    });
    const publisher = new MqttPublisher({
      url: broker.url,
      clientId: `e2e-${meter}`,
      statusOf: { meter, epoch: 1 },
    });
    void publisher.confirmFor([gateway]).catch(() => {});
    await publisher.waitConnected();
    let sampled = DAY_START;
    /** The gateway reads its meter every minute up to `to` and sends until the ingester has stored it all. */
    const report = async (to: number) => {
      for (; sampled + MIN <= to; sampled += MIN) await gateway.sample(sampled + MIN);
      gateway.cut();
      await until(
        async () => {
          await gateway.send(publisher);
          return gateway.buffered === 0;
        },
        60_000,
        `${meter}'s readings stored up to ${new Date(to).toISOString()}`,
        detail,
      );
    };
    await report(await clockNow());

    // 3. The dashboard shows the new plant's curve and its anchored intervals.
    await until(
      async () => (await intervalsOf(plant)).intervals.some((i) => i.anchor !== null),
      60_000,
      `an anchored interval of ${plant}`,
      detail,
    );
    const page = await journey.page('owner');
    await openDashboard(page, plant);

    // 4. The owner sells 100 kWh of the next slot at 0.40 元/kWh; the buyer bids 0.50 元/kWh for it.
    const slot = Math.ceil(((await clockNow()) + 2 * MIN) / SLOT) * SLOT;
    txs.push([
      await send(owner, 'placeOrder', { slot, side: 'sell', wh: 100_000, price: 40_000, plant }),
      'energy.placeOrder',
    ]);
    txs.push([
      await send(buyer, 'placeOrder', { slot, side: 'buy', wh: 100_000, price: 50_000 }),
      'energy.placeOrder',
    ]);
    await page.goto(journey.url('/market'));
    await page.getByTestId('market').waitFor();
    await until(
      async () => (await page.getByTestId('market').textContent())?.includes('100'),
      20_000,
      'the order book',
    );

    // 5. The slot passes; the gateway reports it; its interval is anchored; it clears and settles.
    await advanceClock(slot + SLOT + 2 * MIN);
    await report(slot + SLOT + 2 * MIN);
    txs.push([await send(buyer, 'clearSlot', { slot }), 'energy.clearSlot']);
    const anchor = await until(
      async () =>
        (await intervalsOf(plant)).intervals.find((i) => i.start === slot && i.anchor && !i.anchor.estimated),
      60_000,
      `the anchored interval of slot ${new Date(slot).toISOString()}`,
      detail,
    );
    txs.push([anchor.anchor!.txId, 'energy.anchorInterval']);
    txs.push([await send(owner, 'settleSlot', { slot }), 'energy.settleSlot']);
    type SlotRow = {
      slot: number;
      result: { status: string; price: string } | null;
      settlements: { plant: string; soldWh: string; deliveredWh: string }[];
    };
    const settled = await until(
      async () => {
        const rows = await journey.trpc<SlotRow[]>('market.slots', { from: slot });
        const row = rows.find((r) => r.slot === slot);
        return row?.settlements.find((s) => s.plant === plant) && row;
      },
      30_000,
      'the settlement indexed',
      detail,
    );
    expect(settled.result?.status).toBe('settled');
    expect(settled.settlements.find((s) => s.plant === plant)?.soldWh).toBe('100000');

    // 6. The month ends: the gateway reports the rest of the day; every interval is anchored.
    await advanceClock(MONTH_END + 5 * MIN);
    await report(MONTH_END + 5 * MIN);
    await until(
      async () => {
        const { intervals } = await intervalsOf(plant, DAY_START);
        const mine = intervals.filter((i) => i.meter === meter);
        return mine.length === 96 && mine.every((i) => i.anchor && !i.anchor.estimated);
      },
      60_000,
      `all 96 intervals of ${MONTH} 30 anchored`,
      detail,
    );

    // 7. The owner has the month's certificates issued from its anchored generation and retires one.
    txs.push([await send(owner, 'issueCertificates', { plant, month: MONTH }), 'energy.issueCertificates']);
    type Lot = { id: string; plant: string; count: number; status: string; beneficiary: string | null };
    const issued = await until(
      async () =>
        (await journey.trpc<{ lots: Lot[] }>('certificates', { plant })).lots.find(
          (l) => l.status === 'active',
        ),
      30_000,
      'the issued lot',
      detail,
    );
    expect(issued.count).toBeGreaterThanOrEqual(1);
    txs.push([
      await send(owner, 'retireCertificates', {
        lot: issued.id,
        count: 1,
        beneficiary: '上海奉贤园区 2026 年度绿电消费',
      }),
      'energy.retireCertificates',
    ]);
    await until(
      async () =>
        (await journey.trpc<{ lots: Lot[] }>('certificates', { plant })).lots.some(
          (l) => l.status === 'retired',
        ),
      30_000,
      'the retired lot',
      detail,
    );

    // Screens of the market and the certificates, desktop and phone.
    await page.goto(journey.url('/market'));
    await page.reload();
    await page.getByTestId(`slot-${slot}`).waitFor();
    // The market says how it matches: pay-as-clear, one price per slot.
    expect(await page.getByTestId('matching').getAttribute('data-mode')).toBe('clear');
    await until(
      async () => (await page.getByTestId(`slot-${slot}`).textContent())?.includes(plant),
      20_000,
      'the settlement on the market page',
    );
    await saveScreenshot(page, 'solar-market-desktop');
    await page.goto(journey.url('/certificates'));
    await page.getByTestId('certificates').waitFor();
    await until(
      async () => (await page.getByTestId('certificates').textContent())?.includes(plant),
      20_000,
      'the lots listed',
    );
    expect(await page.getByTestId('beneficiary').first().textContent()).toContain('绿电消费');
    await saveScreenshot(page, 'solar-certificates-desktop');
    const phone = await journey.page('owner (phone)', PHONE);
    await phone.goto(journey.url('/market'));
    await phone.getByTestId('market').waitFor();
    await saveScreenshot(phone, 'solar-market-phone');
    await phone.goto(journey.url('/certificates'));
    await phone.getByTestId('certificates').waitFor();
    await saveScreenshot(phone, 'solar-certificates-phone');

    // 8. The explorer shows each step decoded, and each tx's proof verifies in the page.
    const x = await journey.page('explorer');
    for (const [id, action] of txs) {
      await x.goto(`${suite.url}/explorer/#/tx/${id}`);
      // In words through the solar app's decoder pack (loaded after the tx itself).
      const line = x
        .locator(`[data-test="action-line"][data-action="${action}"][data-decoded="true"]`)
        .first();
      await line.waitFor({ timeout: 30_000 }).catch(async (error) => {
        await saveScreenshot(x, `solar-explorer-${action}`);
        throw new Error(`${action} not decoded for tx ${id}: ${error}`);
      });
      expect(await line.textContent()).not.toBe('');
      await x.getByTestId('tx').getByTestId('verify-button').first().click();
      const verdict = x.getByTestId('tx').getByTestId('verify-result').first();
      await verdict.waitFor({ timeout: 30_000 });
      expect(await verdict.getAttribute('data-state'), `${action} proof`).toBe('verified');
    }
    await saveScreenshot(x, 'solar-explorer-retired');
    await publisher.close();
    expect(journey.errors).toEqual([]);
    console.log(`solar journey: ${Date.now() - started} ms`);
  }, 180_000);
});
