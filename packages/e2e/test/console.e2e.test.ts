// The members' console in Chromium, on a real network: four validator processes and a fifth node that
// follows the chain but does not sign. The suite follows node1 (CHAIN_URL) and watches all five nodes
// (CHAIN_NODES). Member 1 imports its operator key file and proposes adding node5; members 2 and 3 vote
// for it, each signing in their own browser. The proposal passes with its activation height; once the
// chain is past it, the console shows node5 signing blocks and its node committing — and the test checks
// the same on the chain itself (node5's key in the blocks' certificates), so the page cannot just say so.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { signedTx, testAccount } from '@gongxin/ledger/testing';
import { Cluster, freeBasePort } from '@gongxin/node/cluster';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot, startSuiteProcess } from '../src/harness';
import { DESKTOP, input, PHONE, until } from '../src/journey';

const PASSWORD = 'member-key-pass';
const CHAIN_ID = 'gongxin-console';
const suite = getSuite('ed25519-sha256');
const nodeOutput: string[] = [];
const home = mkdtempSync(path.join(tmpdir(), 'gongxin-console-'));
const cluster = new Cluster({
  home,
  validators: 4,
  fullNodes: 1,
  // Below Linux's ephemeral range, every node's two ports checked free first, like the cluster test.
  basePort: await freeBasePort([0, 1, 10, 11, 20, 21, 30, 31, 40, 41], 1200, 10),
  chainId: CHAIN_ID,
  // The nodes' last lines, to name what went wrong when a step times out.
  onOutput: (name, line) => {
    nodeOutput.push(`${name} ${line}`);
    if (nodeOutput.length > 200) nodeOutput.shift();
  },
});
let suiteProcess: SuiteProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];
let load: { stop(): Promise<void> } | null = null;

// biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary JSON answers
async function json(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  return res.json();
}

const keyFile = (i: number) => path.join(home, `node${i}`, 'validator-key.json');
const publicKeyOf = (i: number) => JSON.parse(readFileSync(keyFile(i), 'utf8')).publicKey as string;

/**
 * Anchors a hash about every second through node1, so blocks keep coming (an idle chain makes an empty
 * block only every 30 s) — the traffic a real consortium chain has anyway.
 */
function startLoad() {
  let running = true;
  const sender = testAccount(suite, 900);
  let nonce = 0;
  const loop = (async () => {
    while (running) {
      const hash = suite.hash(new TextEncoder().encode(`console load ${nonce} ${Math.random()}`));
      const bytes = signedTx(suite, CHAIN_ID, sender, nonce, [
        { contract: 'notary', name: 'anchor', params: { hash: toHex(hash), type: 'load-test' } },
      ]);
      const body = await json(`${cluster.nodes[0]!.apiUrl}/v1/txs?wait=true&timeoutMs=8000`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tx: toHex(bytes) }),
      }).catch(() => null);
      if (body?.ok) nonce++;
      else if (body?.error?.code === 'bad_nonce') {
        const account = await json(`${cluster.nodes[0]!.apiUrl}/v1/accounts/${sender.address}`).catch(
          () => null,
        );
        if (account) nonce = Number(account.nonce);
      }
      await new Promise((r) => setTimeout(r, 800));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

beforeAll(async () => {
  await cluster.prepare();
  // Five node processes starting at once on a shared two-core machine: give them time.
  await Promise.all(cluster.nodes.map((_, i) => cluster.start(i, 180_000))).catch((error) => {
    throw new Error(`${error.message}\n${nodeOutput.slice(-40).join('\n')}`);
  });
  load = startLoad();
  const nodes = cluster.nodes.map((n) => `${n.name}=${n.apiUrl}`).join(',');
  [suiteProcess, browser] = await Promise.all([
    startSuiteProcess({ CHAIN_URL: cluster.nodes[0]!.apiUrl, CHAIN_NODES: nodes, DEMO: 'false' }, 300_000),
    launchBrowser(),
  ]);
}, 600_000);

afterAll(async () => {
  await load?.stop();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await suiteProcess?.stop();
  await cluster.stopAll();
  rmSync(home, { recursive: true, force: true });
});

/** A member's browser (its own keyring) with its operator key imported, at the console. */
async function memberPage(i: number, phone = false): Promise<Page> {
  const context = await browser.newContext(phone ? PHONE : DESKTOP);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`member ${i}: ${e.message}`));
  await page.goto(`${suiteProcess.url}/explorer/`);
  await page.getByTestId('nav-members').click();
  await page.getByTestId('members').waitFor({ timeout: 30_000 });
  await page.getByTestId('member-none').waitFor({ timeout: 30_000 });
  await page.getByTestId('member-key-file').setInputFiles(keyFile(i));
  // The picker names the chosen file in the page's words, not the browser's native "Choose File".
  await expect
    .poll(() => page.getByTestId('member-key-file-name').textContent(), { timeout: 10_000 })
    .toContain('validator-key.json');
  await input(page, 'member-key-password').fill(PASSWORD);
  await page.getByTestId('member-key-import').click();
  await page.getByTestId('member-acting').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('member-acting').textContent()).toContain(`node${i}`);
  return page;
}

async function confirmSignature(page: Page) {
  await page.getByTestId('sign-confirm').waitFor({ timeout: 30_000 });
  const password = page.locator('[data-test="sign-password"] input, input[data-test="sign-password"]');
  if ((await password.count()) > 0) await password.first().fill(PASSWORD);
  await page.getByTestId('sign-confirm').click();
}

/** Every open page as it was when a step failed, to see what the console showed. */
async function failureShots() {
  let n = 0;
  for (const c of contexts)
    for (const page of c.pages()) await shot(page, `console-failure-${++n}`).catch(() => undefined);
}

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return saveScreenshot(page, name);
}

describe('members’ console in Chromium', () => {
  it('member 1 proposes node5, members 2 and 3 vote, node5 signs from the activation height', async () => {
    try {
      await journey();
    } catch (error) {
      await failureShots();
      throw error;
    }
  }, 600_000);
});

/** The journey itself (the test wraps it to keep screenshots of a failure). */
async function journey() {
  const node5Key = publicKeyOf(5);
  const info = await json(`${cluster.nodes[0]!.apiUrl}/v1/chain`);
  expect(info.validators.map((v: { key: string }) => v.key)).not.toContain(node5Key);

  // 1. Member 1 sees five nodes answering (node5 follows the chain), then proposes adding node5.
  const m1 = await memberPage(1);
  await until(
    async () => (await m1.locator('[data-test="node-row"][data-up="true"]').count()) === 5,
    60_000,
    'five nodes up in the console',
  );
  await m1.getByTestId('propose-open').click();
  await input(m1, 'propose-key').fill(node5Key);
  await input(m1, 'propose-name').fill('node5');
  await m1.getByTestId('propose-submit').click();
  await confirmSignature(m1);
  await m1.getByTestId('proposal-page').waitFor({ timeout: 30_000 });
  await m1.waitForURL(/#\/members\/proposals\/[0-9a-f]{64}/, { timeout: 30_000 });
  const id = /proposals\/([0-9a-f]{64})/.exec(m1.url())![1]!;
  await until(
    async () => (await m1.getByTestId('proposal-status').textContent())?.includes('表决中'),
    30_000,
    'the proposal open',
  );
  expect(await m1.getByTestId('proposal-tally').textContent()).toContain('赞成 10、反对 0，需赞成 27');
  expect(await m1.getByTestId('vote-done').textContent()).toContain('赞成');
  // The key as the explorer shows keys everywhere: lowercase hex, no 0x.
  expect((await m1.getByTestId('proposal-key').textContent())?.trim()).toBe(node5Key);
  await shot(m1, 'console-proposal-open');

  // 2. Members 2 and 3, each in their own browser (3 on a phone), vote for it.
  const m2 = await memberPage(2);
  await m2.goto(`${suiteProcess.url}/explorer/#/members/proposals/${id}`);
  await m2.getByTestId('vote-yes').click({ timeout: 60_000 });
  await confirmSignature(m2);
  await m2.getByTestId('vote-done').waitFor({ timeout: 30_000 });

  const m3 = await memberPage(3, true);
  await m3.goto(`${suiteProcess.url}/explorer/#/members/proposals/${id}`);
  await m3.getByTestId('vote-yes').click({ timeout: 60_000 });
  await confirmSignature(m3);
  await until(
    async () => (await m3.getByTestId('proposal-status').textContent())?.includes('已通过'),
    30_000,
    'the proposal passed',
  );
  const activation = Number(await m3.getByTestId('proposal-activation').getAttribute('data-height'));
  expect(activation).toBeGreaterThan(0);
  expect(await m3.locator('[data-test="proposal-vote"][data-approve="true"]').count()).toBe(3);
  // The operator is a link to its account; the progress bar is full at the threshold, and nothing on a
  // phone runs off the side.
  expect(await m3.getByTestId('proposal-operator').locator('a').first().getAttribute('href')).toContain(
    '#/account/gx1',
  );
  expect(await m3.getByTestId('proposal-progress').getAttribute('aria-valuenow')).toBe('100');
  expect(await m3.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(m3, 'console-proposal-passed-phone');
  // Their part is done: fewer pages polling a loaded machine.
  await m2.context().close();
  await m3.context().close();

  // The chain agrees: the proposal passed and the set that signs from `activation` has node5.
  const record = await json(`${cluster.nodes[1]!.apiUrl}/v1/state/governance/proposal/${id}`);
  expect(record.value.status).toBe('passed');
  const events = await json(
    `${cluster.nodes[1]!.apiUrl}/v1/events?contract=governance&name=validatorSetChanged`,
  );
  const changed = events.items.find((e: { attrs: { id: string } }) => e.attrs.id === id);
  expect(changed.attrs.height).toBe(activation);

  // 3. Past the activation height, node5 signs: the chain's certificates name its key…
  const signedBy5 = await until(
    async () => {
      const head = (await json(`${cluster.nodes[0]!.apiUrl}/v1/chain`)).head.height as number;
      if (head < activation + 1) return null;
      const block = await json(`${cluster.nodes[0]!.apiUrl}/v1/blocks/${head}`);
      return block.certificate.signerKeys.includes(node5Key) ? block.height : null;
    },
    180_000,
    `a block after ${activation} signed by node5`,
    () => nodeOutput.slice(-40).join('\n'),
  );
  expect(signedBy5).toBeGreaterThan(activation);

  // …and the console shows it: node5 among the validators, signing, and its node committing blocks.
  await m1.goto(`${suiteProcess.url}/explorer/#/members`);
  const node5 = m1.locator('[data-test="member-validator"][data-name="node5"]');
  await until(
    async () => Number(await node5.getAttribute('data-last-signed')) >= activation,
    120_000,
    'the console showing node5 signing',
  );
  expect(await node5.getByTestId('member-validator-state').textContent()).toContain('正在签名');
  const row5 = m1.locator('[data-test="node-row"][data-node="node5"]');
  await until(
    async () => Number(await row5.getByTestId('node-height').textContent()) > activation,
    30_000,
    'node5 committing past the activation height',
  );
  expect(Number(await row5.getByTestId('node-peers').textContent())).toBe(4);
  // Commit intervals in seconds, with their unit.
  expect(await row5.getByTestId('node-latency').textContent()).toMatch(/\d 秒/);
  // Validators by name; each key as on the proposal, the passed proposal's activation height a block link.
  expect(
    await m1
      .locator('[data-test="member-validator"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name'))),
  ).toEqual(['node1', 'node2', 'node3', 'node4', 'node5']);
  expect(await node5.getByTestId('member-validator-key').getAttribute('title')).toBe(node5Key);
  const passed = m1.locator(`[data-test="proposal"][data-id="${id}"]`);
  await expect
    .poll(async () => passed.getByTestId('proposal-activation').locator('a').getAttribute('href'), {
      timeout: 30_000,
    })
    .toContain(`#/block/${activation}`);
  await shot(m1, 'console-desktop');

  const phone = await browser.newContext(PHONE);
  contexts.push(phone);
  const p = await phone.newPage();
  p.on('pageerror', (e) => errors.push(`phone: ${e.message}`));
  await p.goto(`${suiteProcess.url}/explorer/#/members`);
  await p.locator('[data-test="member-validator"][data-name="node5"]').waitFor({ timeout: 30_000 });
  await until(
    async () => (await p.locator('[data-test="node-row"][data-up="true"]').count()) === 5,
    30_000,
    'nodes on the phone',
  );
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(p, 'console-phone');

  // English reads too.
  await m1.evaluate(() => localStorage.setItem('gongxin.locale', 'en'));
  await m1.reload();
  await m1.getByTestId('members').waitFor({ timeout: 30_000 });
  await m1.locator('[data-test="member-validator"][data-name="node5"]').waitFor({ timeout: 30_000 });
  await m1.locator('[data-test="node-row"][data-up="true"]').first().waitFor({ timeout: 30_000 });
  expect(await m1.getByTestId('member-validators').textContent()).toContain('Signing');
  await shot(m1, 'console-desktop-en');

  expect(errors).toEqual([]);
}
