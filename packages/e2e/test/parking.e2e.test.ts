// Smart parking end to end in Chromium, as the issue's journey: the suite starts its demo (two operators'
// lots on chain, simulated gates running the gate program over the embedded broker, the morning's traffic
// with a paid stay at the Jinjiang lot) → a car enters at the Hongqiao gate (the operator's console drives
// the simulated device: its read is signed with the device key and goes over MQTT to the chain) → the
// driver finds the car on a phone (390 px) and pays the running fee from the browser wallet → the car
// leaves (the gate opens on the payment) → the receipt verifies with its proof in the browser → the
// alliance's clerk settles the day, which splits the takings between the two operators to the fen.
// Every write is signed in the signer's own browser keyring. Before that, a citizen's own vehicles: 张三
// signs in on a phone and sees his bound car's stay and fee at once, without typing a plate.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot } from '../src/harness';
import { AppJourney, confirmSignature, input, PHONE, until } from '../src/journey';
import { demoSuite } from '../src/shared-suite';

const PLATE = '沪A52E81';
let suite: SuiteProcess;
let browser: Browser;
let j: AppJourney;
const tail = () => suite.output().slice(-2000);

const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  [suite, browser] = await Promise.all([demoSuite(), launchBrowser()]);
  j = new AppJourney(browser, suite, 'parking');
  // The demo's morning: a paid stay at the Jinjiang lot (seeded in the background after start-up).
  await until(
    () =>
      j
        .trpc<{ lot: string; payments: number }[]>('dayRevenue', { date: today })
        .then((r) => r.some((l) => l.lot === 'jj-xjh' && l.payments > 0)),
    120_000,
    'the demo traffic',
    tail,
  );
}, 360_000);
afterAll(async () => {
  await browser?.close();
  await suite?.stop();
});

type Session = { id: string; status: string; lot: string };
type Line = { lot: string; operator: string; net: string; fee: string; share: string };
type Statement = { total: string; fees: string; lines: Line[]; txId: string };

describe('smart parking in Chromium', () => {
  it("a citizen opens the driver's page on a phone and sees his own car's stay and fee without typing", async () => {
    // The demo binds 沪B7M325 (parked at 虹桥天地 P1 this morning) to 张三's passport account.
    const mine = '沪B7M325';
    const session = await until(
      () =>
        j.trpc<Session[]>('sessionsByPlate', { plate: mine }).then((s) => s.find((x) => x.status === 'open')),
      30_000,
      "张三's car in the lot",
      tail,
    );
    expect(session.lot).toBe('hq-p1');
    const quoteNow = () =>
      j.trpc<{ dueFen: string }>('quote', { session: session.id }).then((q) => BigInt(q.dueFen));
    const before = await quoteNow();
    const zhang = await j.as('citizen-zhang', '/', true);
    const card = zhang.locator(`[data-test="my-plate"][data-plate="${mine}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getAttribute('data-status')).toBe('open');
    const fee = card.getByTestId('my-fee');
    await fee.waitFor({ timeout: 30_000 });
    const due = BigInt((await fee.getAttribute('data-fen'))!);
    // The page shows what the chain's tariff prices now (a half hour may start while we look).
    expect([before, await quoteNow()]).toContain(due);
    expect(due).toBeGreaterThan(0n);
    expect(await card.getByTestId('my-lot').textContent()).toBe('虹桥天地 P1 停车场');
    expect(await card.getByTestId('my-stay').textContent()).toMatch(/小时/);
    expect(await card.getByTestId('my-pay').isVisible()).toBe(true);
    // Nothing was typed: the search field is empty, its example said as one.
    expect(await input(zhang, 'plate-input').inputValue()).toBe('');
    expect(await input(zhang, 'plate-input').getAttribute('placeholder')).toMatch(/^车牌号，例如 /);
    expect(await zhang.getByTestId('plate-privacy').textContent()).toContain('链上只记录车牌的加密哈希');
    // A citizen gets no operator or settlement tabs.
    expect(await zhang.getByTestId('nav-console').count()).toBe(0);
    expect(await zhang.getByTestId('nav-settlement').count()).toBe(0);
    // Fits the phone: nothing wider than the screen.
    const wide = await zhang.evaluate(() => document.documentElement.scrollWidth);
    expect(wide).toBeLessThanOrEqual(390);
    await saveScreenshot(zhang, 'parking-my-vehicles-phone');
    expect(j.errors).toEqual([]);
  });

  it('enter at a gate → pay on the phone from the wallet → exit → receipt verifies → the day splits between two operators', async () => {
    // 1. The car enters at the Hongqiao gate, driven from the operator's console.
    const operator = await j.as('parking-operator', '/console');
    await operator.getByTestId('simulator').waitFor({ timeout: 30_000 });
    await input(operator, 'sim-plate').fill(PLATE);
    await input(operator, 'sim-ago').fill('70');
    await operator.getByTestId('sim-entry').click();
    await expect.poll(() => operator.getByTestId('sim-result').textContent()).toContain('抬杆');
    const session = await until(
      () =>
        j
          .trpc<Session[]>('sessionsByPlate', { plate: PLATE })
          .then((s) => s.find((x) => x.status === 'open')),
      30_000,
      'the entry on chain',
      tail,
    );
    expect(session.lot).toBe('hq-p1');
    await operator.locator(`[data-test="lot-session"][data-plate="${PLATE}"]`).waitFor({ timeout: 30_000 });
    await saveScreenshot(operator, 'parking-console-desktop');

    // 2. The driver finds the car on a phone and pays the running fee from the wallet.
    const driver = await j.as('citizen-zhang', `/?plate=${encodeURIComponent(PLATE)}`, true);
    const fee = driver.getByTestId('running-fee');
    await fee.waitFor({ timeout: 30_000 });
    const due = BigInt((await fee.getAttribute('data-fen'))!);
    // 70 minutes in: the free quarter hour is gone and three started half hours are due, by day or night
    // rates; the page shows what the chain's tariff version prices.
    const quote = await j.trpc<{ dueFen: string; lines: { kind: string; count: number }[] }>('quote', {
      session: session.id,
    });
    expect(due).toBe(BigInt(quote.dueFen));
    expect(due).toBeGreaterThan(0n);
    expect(quote.lines.filter((l) => l.kind === 'units').reduce((a, l) => a + l.count, 0)).toBe(3);
    await saveScreenshot(driver, 'parking-driver-phone');
    await driver.getByTestId('pay').click();
    await confirmSignature(driver);
    await driver.getByTestId('pay-done').waitFor({ timeout: 30_000 });
    expect(await driver.getByTestId('pay-error').count()).toBe(0);

    // 3. The car leaves: the gate learns of the payment and opens.
    await operator.getByTestId('sim-exit').click();
    await expect.poll(() => operator.getByTestId('sim-result').textContent()).toContain('已缴费放行');
    await until(
      () =>
        j
          .trpc<Session & { receipts: { id: string; amount: string }[] }>('session', { id: session.id })
          .then((s) => s.status === 'closed' && s),
      30_000,
      'the exit on chain',
      tail,
    );

    // 4. The receipt names its tx and block and verifies with its proof in the browser.
    await driver.reload();
    const link = driver.getByTestId('receipt-link').first();
    await link.waitFor({ timeout: 30_000 });
    await link.click();
    await driver.getByTestId('receipt').waitFor({ timeout: 30_000 });
    const paid = BigInt((await driver.getByTestId('receipt-amount').getAttribute('data-fen'))!);
    expect(paid).toBe(due);
    const txHref = await driver
      .locator('[data-test="receipt-proof"] [data-test="tx-link"]')
      .getAttribute('href');
    expect(txHref).toMatch(/^\/explorer\/#\/tx\/[0-9a-f]{64}$/);
    expect(await driver.getByTestId('receipt-block').getByTestId('block-link').count()).toBe(1);
    await driver.locator('[data-test="receipt-proof"] [data-test="verify-button"]').click();
    await driver
      .locator('[data-test="receipt-proof"] [data-test="verify-result"][data-state="verified"]')
      .waitFor({ timeout: 30_000 });
    await saveScreenshot(driver, 'parking-receipt-phone');

    // 5. The alliance's clerk settles the day: each lot's net splits into the fee and the operator's share.
    const before = await j.trpc<{ lot: string; pending: string }[]>('dayRevenue', { date: today });
    const pendingOf = (lot: string) => BigInt(before.find((r) => r.lot === lot)!.pending);
    expect(pendingOf('hq-p1')).toBe(paid);
    expect(pendingOf('jj-xjh')).toBeGreaterThan(0n);
    const clerk = await j.as('parking-aggregator', '/settlement');
    await clerk.getByTestId('settle').waitFor({ timeout: 30_000 });
    await clerk.getByTestId('settle').click();
    await confirmSignature(clerk);
    await clerk.getByTestId('settle-done').waitFor({ timeout: 30_000 });
    await clerk.getByTestId('statement').first().waitFor({ timeout: 30_000 });
    const [statement] = await j.trpc<Statement[]>('statements', { date: today });
    const line = (lot: string) => statement!.lines.find((l) => l.lot === lot)!;
    // Hongqiao keeps 95 % of what this driver paid, rounded in its favour's complement to the fen.
    expect(BigInt(line('hq-p1').net)).toBe(paid);
    expect(BigInt(line('hq-p1').fee)).toBe((paid * 500n) / 10_000n);
    expect(BigInt(line('hq-p1').share)).toBe(paid - (paid * 500n) / 10_000n);
    const jj = line('jj-xjh');
    expect(BigInt(jj.net)).toBe(pendingOf('jj-xjh'));
    expect(BigInt(jj.fee)).toBe((BigInt(jj.net) * 300n) / 10_000n);
    for (const l of statement!.lines) expect(BigInt(l.fee) + BigInt(l.share)).toBe(BigInt(l.net));
    expect(statement!.lines.reduce((a, l) => a + BigInt(l.net), 0n)).toBe(BigInt(statement!.total));
    expect(new Set(statement!.lines.map((l) => l.operator))).toEqual(new Set(['hongqiao', 'jinjiang']));
    // The page shows the same split per operator.
    const shares = clerk.locator('[data-test="statement"]').first().getByTestId('operator-share');
    await expect.poll(() => shares.count()).toBe(2);
    const hq = clerk.locator('[data-test="operator-share"][data-operator="hongqiao"]').first();
    expect(BigInt((await hq.getAttribute('data-share'))!)).toBe(BigInt(line('hq-p1').share));
    await clerk.locator('[data-test="statement"] [data-test="verify-button"]').first().click();
    await clerk
      .locator('[data-test="statement"] [data-test="verify-result"][data-state="verified"]')
      .first()
      .waitFor({ timeout: 30_000 });
    await saveScreenshot(clerk, 'parking-settlement-desktop');

    // The settlement on a phone.
    const pub = await j.page('public', PHONE);
    await pub.goto(`${suite.url}/parking/#/settlement`);
    await pub.getByTestId('statement').first().waitFor({ timeout: 30_000 });
    await saveScreenshot(pub, 'parking-settlement-phone');
    expect(j.errors).toEqual([]);
  }, 240_000);
});
