// The welfare (低保) app end to end in Chromium on a fresh demo chain: a case worker accepts a citizen's
// application in the workbench and takes it through 入户调查 → 初审 (income) → 公示; the county reviewer
// resolves the neighbour's objection against a demo household; before the notice ends the chain refuses
// 民主评议 and the page says why; finance finds the month before genesis paid and closed by the demo,
// computes this month's cycle of the caseload on the rolls and signs its batch; the recipient on a phone sees the payment and verifies its proof against
// the batch root in the browser; the public page shows the month's aggregate with its batch tx; the bank
// returns one payment, finance records it with the bank's reason and re-issues it (补发), the list links
// the re-issue's block and tx, and a page opened before that is refused a second re-issue in words. Every
// write is signed in the signer's own browser keyring.
import { demoAccounts } from '@gongxin/passport-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot } from '../src/harness';
import { AppJourney, confirmSignature, input, PHONE, until } from '../src/journey';
import { demoSuite } from '../src/shared-suite';

let suite: SuiteProcess;
let browser: Browser;
let j: AppJourney;

beforeAll(async () => {
  [suite, browser] = await Promise.all([demoSuite(), launchBrowser()]);
  j = new AppJourney(browser, suite, 'welfare');
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await suite?.stop();
});

/** Clicks the step button of the one row at `at`, signs, and waits for that row to move on. */
async function step(page: Page, at: string, button: string) {
  const row = page.locator('tr', { has: page.getByTestId(`step-${at}`) }).first();
  await row.getByTestId(`next-${button}`).click();
  await confirmSignature(page);
  await until(async () => (await page.getByTestId(`step-${at}`).count()) === 0).catch(async (e) => {
    await saveScreenshot(page, `welfare-failed-${button}`);
    throw e;
  });
}

describe('welfare (低保) in Chromium', () => {
  it('apply → investigate → 公示 with an objection resolved → cycle paid → proof verified → public figures', async () => {
    // The demo is seeded in the background after start-up: the caseload on the rolls since the month
    // before genesis (3 active households, that month paid and closed) and the three applications at 公示.
    const caseload = await until(
      () =>
        j.trpc<{ caseload: { status: string; n: number }[] }>('public.aggregate', {}).then((r) => {
          const n = (s: string) => r.caseload.find((c) => c.status === s)?.n ?? 0;
          return n('active') === 3 && n('applying') === 3 && r.caseload;
        }),
      120_000,
    );
    expect(caseload.length).toBe(2);
    const period = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const li = demoAccounts().find((a) => a.id === 'citizen-li')!;

    // 1. The street-office case worker accepts 李四's application and takes it to 公示.
    const worker = await j.as('welfare-caseworker', '/workbench');
    await worker.getByTestId('applications').waitFor({ timeout: 60_000 });
    await until(async () => {
      if ((await worker.getByTestId('step-publicised').count()) >= 3) return true;
      await worker.reload();
      return false;
    }, 60_000);
    await input(worker, 'apply-id').fill(li.idNumber);
    await input(worker, 'apply-did').fill(li.address);
    await worker.getByTestId('apply').click();
    await confirmSignature(worker);
    await worker.getByTestId('step-accepted').waitFor({ timeout: 30_000 });
    await step(worker, 'accepted', 'investigate');
    const row = worker.locator('tr', { has: worker.getByTestId('step-investigated') }).first();
    await row.getByTestId('income').fill('3600');
    await step(worker, 'investigated', 'preliminary');
    await step(worker, 'preliminary', 'publicise');
    await expect.poll(() => worker.getByTestId('step-publicised').count()).toBe(4);
    await saveScreenshot(worker, 'welfare-workbench');

    // On a phone the workbench puts each household and its next action within the screen, no sideways
    // scrolling to find the button.
    const phoneWorker = await j.as('welfare-caseworker', '/workbench', true);
    const action = phoneWorker.locator('[data-test^="next-"]').first();
    await action.waitFor({ timeout: 30_000 });
    for (const seen of [action, phoneWorker.getByTestId('step-publicised').first()]) {
      const box = (await seen.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    expect(await phoneWorker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Who is signed in shows on a phone too: the name, within the header.
    const me = phoneWorker.getByTestId('me-name');
    expect(await me.isVisible()).toBe(true);
    const meBox = (await me.boundingBox())!;
    expect(meBox.x + meBox.width).toBeLessThanOrEqual(390);
    await saveScreenshot(phoneWorker, 'welfare-workbench-phone');

    // 2. The case worker cannot decide the objection (it waits for the county reviewer); the reviewer reads
    // it and dismisses it. 民主评议 stays off until the notice ends, and says until when (the chain
    // refuses it before then too: the server's module test sends it straight to the node).
    await worker.getByTestId('waits-resolve').first().waitFor({ timeout: 30_000 });
    expect(await worker.getByTestId('next-resolve').count()).toBe(0);
    const reviewer = await j.as('welfare-reviewer', '/workbench');
    await reviewer.getByTestId('next-resolve').waitFor({ timeout: 30_000 });
    await reviewer.getByTestId('next-resolve').click();
    await reviewer.getByTestId('objection').first().waitFor();
    await reviewer.getByTestId('objection-dismiss').click();
    await reviewer.getByTestId('objection-confirm').click();
    await confirmSignature(reviewer);
    await until(async () => (await reviewer.getByTestId('next-resolve').count()) === 0);
    await worker.reload();
    await worker.getByTestId('next-deliberate').first().waitFor({ timeout: 30_000 });
    expect(await worker.getByTestId('next-deliberate').first().isDisabled()).toBe(true);
    expect(await worker.getByTestId('notice-wait').first().textContent()).toBe('公示期满后可办理');

    // 2b. The month before genesis is already paid and closed by the demo: its batch (the root linking
    // its tx), the payment the bank returned with its reason, and no 补发 into a closed month.
    const [y, m] = period.split('-').map(Number) as [number, number];
    const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const closed = await j.as('welfare-treasurer', '/cycles');
    await input(closed, 'cycle-period').fill(previous);
    await closed.getByTestId('cycle-load').click();
    await closed.getByTestId('cycle-closed').waitFor({ timeout: 60_000 });
    const rows = closed.getByTestId('batches').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().locator('a.wf-mono').getAttribute('href')).toMatch(
      /^\/explorer\/#\/tx\/[0-9a-f]{64}$/,
    );
    expect(await closed.getByTestId('batch-settled').count()).toBe(await rows.count());
    expect(await closed.getByTestId('failure-reason').textContent()).toBe('收款账户已冻结，银行退回');
    expect(await closed.getByTestId('reissue-closed').count()).toBe(1);
    await saveScreenshot(closed, 'welfare-cycle-closed');
    await closed.close();

    // 3. Finance computes this month's cycle of the caseload on the rolls and signs its batch.
    const finance = await j.as('welfare-treasurer', '/cycles');
    await input(finance, 'cycle-period').fill(period);
    await finance.getByTestId('cycle-disburse').click();
    await finance
      .locator('[data-test="sign-confirm"], [data-test="error"], .el-message')
      .first()
      .waitFor({ timeout: 30_000 });
    if ((await finance.getByTestId('sign-confirm').count()) === 0) {
      await saveScreenshot(finance, 'welfare-failed-cycle');
      const why = await finance.locator('[data-test="error"], .el-message').first().textContent();
      throw new Error(`cycle: ${why}\n${suite.output().slice(-4000)}`);
    }
    await confirmSignature(finance);
    await finance.getByTestId('batches').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    await saveScreenshot(finance, 'welfare-cycle');

    // 4. 王五 (on the rolls since genesis) sees the payment on a phone and verifies its proof.
    const wang = await j.as('citizen-wang', '/payments', true);
    await wang.getByTestId('payment-rows').waitFor({ timeout: 30_000 });
    expect(await wang.getByTestId('payment-rows').textContent()).toContain(period);
    await wang.getByTestId('verify').first().click();
    await wang.getByTestId('proof-result').waitFor({ timeout: 30_000 });
    expect(await wang.getByTestId('proof-result').getAttribute('class')).toContain('wf-ok');
    expect(await wang.getByTestId('payment-tx').first().getAttribute('href')).toMatch(
      /^\/explorer\/#\/tx\/[0-9a-f]{64}$/,
    );
    await saveScreenshot(wang, 'welfare-payments-phone');

    // 5. The public page: the month's aggregate, with the batch's tx.
    const pub = await j.page('public', PHONE);
    await pub.goto(j.url('/'));
    await pub.getByTestId('months').waitFor({ timeout: 30_000 });
    expect(await pub.getByTestId('months').textContent()).toContain(period);
    expect(await pub.getByTestId('batch-link').count()).toBeGreaterThan(0);
    await saveScreenshot(pub, 'welfare-public-phone');

    // 6. 补发: the bank returns the batch's second payment; finance records it with the bank's reason (on
    // chain, ≤ 200 characters), the rest as paid.
    const reason = '收款账户已销户，银行退回';
    await finance.getByTestId('batch-outcomes').first().click();
    await finance.getByTestId('payment-1').getByTestId('payment-outcome').click();
    await finance.locator('.el-select-dropdown__item:visible', { hasText: '被退回' }).click();
    await input(finance, 'payment-reason').fill(reason);
    await finance.getByTestId('record-outcomes').click();
    await confirmSignature(finance);
    await finance.getByTestId('failure').waitFor({ timeout: 30_000 });
    expect(await finance.getByTestId('failure-reason').textContent()).toBe(reason);
    // A second finance page (on a phone), opened while the payment is still waiting for 补发.
    const stale = await j.as('welfare-treasurer', '/cycles', true);
    await stale.getByTestId('reissue').waitFor({ timeout: 30_000 });

    // Finance re-issues it: the list shows it re-issued, linked to the block and tx of the new batch.
    await finance.getByTestId('reissue').click();
    await confirmSignature(finance);
    const proof = finance.getByTestId('failure-reissue-proof');
    await proof.waitFor({ timeout: 30_000 });
    expect(await finance.getByTestId('failure-reissue').textContent()).toMatch(/^已补发/);
    expect(await proof.getByTestId('tx-link').getAttribute('href')).toMatch(
      /^\/explorer\/#\/tx\/[0-9a-f]{64}$/,
    );
    expect(await proof.getByTestId('block-link').count()).toBe(1);
    expect(await finance.getByTestId('reissue').count()).toBe(0);
    await saveScreenshot(finance, 'welfare-reissue');

    // The stale page's 补发 is refused by the server: said in words, and its list refreshed.
    await stale.getByTestId('reissue').click();
    await stale.getByTestId('error').waitFor({ timeout: 30_000 });
    expect(await stale.getByTestId('error').textContent()).toContain('这笔发放已经补发过，不能再补发一次');
    await stale.getByTestId('failure-reissue-proof').waitFor({ timeout: 30_000 });
    expect(await stale.getByTestId('reissue').count()).toBe(0);
    await saveScreenshot(stale, 'welfare-reissue-refused-phone');
    expect(j.errors).toEqual([]);
  }, 180_000);

  it('the auditor lands on the alerts and resolves the demo one as its owner, with its block and tx', async () => {
    // The demo's alert: 吴审计, the area's alert owner, reported a bank account two households share
    // (seeded in the background); the same 吴审计 signs in.
    const auditor = await j.as('welfare-auditor', '/');
    await auditor.waitForURL(/#\/alerts/, { timeout: 30_000 });
    const open = auditor.locator('article.wf-alert-open').first();
    await open.waitFor({ timeout: 60_000 });
    const id = (await open.getAttribute('data-test'))!;
    expect(await open.getByTestId('alert-kind').textContent()).not.toMatch(/^[a-z_]+$/);
    expect(await open.getByTestId('alert-owner').textContent()).toContain('吴审计');
    // The households sharing the account by their heads' names, and the area by name.
    expect(await open.getByTestId('alert-sharing-head').allTextContents()).toEqual([
      '赵桂兰 户',
      '李文芳 户',
    ]);
    expect(await open.getByTestId('alert-area').textContent()).toContain('古城区');
    // Filtered to 古城区 it stays; the select names the areas.
    await auditor.getByTestId('alerts-area').click();
    const gucheng = auditor.locator('.el-select-dropdown__item:visible', { hasText: '古城区（530702）' });
    await gucheng.click();
    await gucheng.waitFor({ state: 'hidden' });
    await auditor.locator(`article[data-test="${id}"]`).waitFor({ timeout: 30_000 });
    await saveScreenshot(auditor, 'welfare-alerts-desktop');
    await open.getByTestId('alert-resolve').click();
    await input(auditor, 'alert-outcome-input').fill('已核实：两户为亲属代管同一存折，已分别开立账户');
    await auditor.getByTestId('alert-resolve-confirm').click();
    await confirmSignature(auditor);
    await auditor.getByTestId('alert-done').waitFor({ timeout: 30_000 });
    const resolved = auditor.locator(`article[data-test="${id}"]`);
    await resolved.getByTestId('alert-resolved-by').waitFor({ timeout: 30_000 });
    // Resolved by its owner, who signed in: 吴审计, by name.
    expect(await resolved.getByTestId('alert-resolved-by').textContent()).toContain('吴审计');
    expect(await resolved.getByTestId('alert-owner').textContent()).toContain('吴审计');
    expect(await resolved.getByTestId('alert-outcome-text').textContent()).toContain('已分别开立账户');
    expect(await resolved.getByTestId('tx-link').count()).toBeGreaterThan(0);

    const phone = await j.as('welfare-auditor', '/alerts', true);
    await phone.getByTestId('alert-list').waitFor({ timeout: 30_000 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(phone, 'welfare-alerts-phone');
    expect(j.errors).toEqual([]);
  }, 180_000);
});
