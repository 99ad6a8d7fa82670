import { chromium } from 'playwright-core';
import { startExplorerChain } from '../test/chain';

const hash32 = (n: number) => n.toString(16).padStart(64, '0');
const chain = await startExplorerChain({
  contracts: ({ account }) => ({
    governance: {
      authorities: [{ address: account(10).address, name: '市场监督管理局', scopes: ['identity'] }],
    },
    identity: {
      accounts: [{ address: account(20).address, kind: 'organization' }],
      attestations: [{ subject: account(20).address, kind: 'organization', idHash: hash32(7) }],
      roles: [{ subject: account(20).address, app: 'wallet', role: 'merchant' }],
    },
  }),
});
const [issuer, alice, bob, carol, authority] = [20, 1, 2, 3, 10].map((s) => chain.account(s));
await chain.send(issuer!, [
  {
    contract: 'assets',
    name: 'issue',
    params: {
      symbol: 'CNYX',
      name: '数字人民币券',
      decimals: 2,
      policy: 'mintable',
      initialSupply: 100_000_000n,
    },
  },
]);
await chain.send(issuer!, [
  { contract: 'assets', name: 'transfer', params: { symbol: 'CNYX', to: alice!.address, amount: 50_000n } },
]);
const toBob = await chain.send(
  alice!,
  [{ contract: 'assets', name: 'transfer', params: { symbol: 'CNYX', to: bob!.address, amount: 1_250n } }],
  '午饭',
);
const packet = await chain.send(issuer!, [
  {
    contract: 'assets',
    name: 'createPacket',
    params: { symbol: 'CNYX', total: 1_000n, count: 2, split: 'random', expiresAt: Date.now() + 3_600_000 },
  },
]);
await chain.send(bob!, [{ contract: 'assets', name: 'claimPacket', params: { id: packet.id } }]);
await chain.send(carol!, [{ contract: 'identity', name: 'register', params: { kind: 'person' } }]);
await chain.send(authority!, [
  {
    contract: 'identity',
    name: 'attest',
    params: { subject: carol!.address, kind: 'person', idHash: hash32(9) },
  },
]);
await chain.send(alice!, [
  { contract: 'notary', name: 'anchor', params: { hash: hash32(0xabc), type: 'contract' } },
]);
await chain.send(bob!, [
  {
    contract: 'assets',
    name: 'transfer',
    params: { symbol: 'CNYX', to: carol!.address, amount: 10n ** 12n },
  },
]);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const errors: string[] = [];
const shoot = async (path: string, name: string, width = 1280) => {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${name}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
  await page.goto(`${chain.url}/explorer/#${path}`);
  await page.waitForTimeout(1500);
  if (name === 'tx') {
    await page.locator('[data-test="tx"] [data-test="verify-button"]').click();
    await page.waitForTimeout(1000);
    console.log(
      'verify state',
      await page.locator('[data-test="tx"] [data-test="verify-result"]').getAttribute('data-state'),
    );
  }
  if (name === 'search') {
    console.log('after search url', page.url());
  }
  await page.screenshot({ path: `/tmp/explorer-shots/${name}.png`, fullPage: true });
  await page.close();
};
await shoot('/', 'home');
await shoot(`/tx/${toBob.id}`, 'tx');
await shoot(`/account/${bob!.address}`, 'account');
await shoot(`/account/${issuer!.address}`, 'issuer');
await shoot('/asset/CNYX', 'asset');
await shoot(`/did/did:gx:${carol!.address}`, 'did');
await shoot('/validators', 'validators');
await shoot(`/block/${toBob.height}`, 'block');
await shoot('/search?q=cnyx', 'search');
await shoot('/search?q=CN', 'suggest');
await shoot('/', 'home-mobile', 390);
await shoot(`/account/${bob!.address}`, 'account-mobile', 390);
console.log(errors.join('\n') || 'no console errors');
await browser.close();
await chain.close();
