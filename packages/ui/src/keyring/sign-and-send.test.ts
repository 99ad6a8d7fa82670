import { ChainError } from '@gongxin/client';
import {
  type Action,
  decodeTx,
  encodeCanonical,
  fromHex,
  toHex,
  type Value,
  verifyTxSignature,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { testAccount } from '@gongxin/ledger/testing';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { committedHeight } from '../chain/seen';
import SignRequestDialog from '../components/sign-request-dialog.vue';
import { configureUi } from '../config';
import { registerActionDecoder } from '../decoders/registry';
import { createSuiteI18n } from '../i18n';
import { FakeNodeError, type FakeRequest, mockChain, proceduresOf } from '../testing/fetch-mock';
import { useKeyring } from './store';
import { KeyringError } from './vault';

const suite = getSuite('ed25519-sha256');
const chainId = 'gongxin-ui-test';
const friend = testAccount(suite, 42).address;

const transfer: Action = {
  contract: 'assets',
  name: 'transfer',
  params: { symbol: 'CNYX', to: friend, amount: 123456n, memo: '午饭' },
};

let wrapper: VueWrapper | undefined;
let i18n: ReturnType<typeof createSuiteI18n>;
let nonce: number;
let submit: (input: { tx: string }) => unknown;

const chainNode = {
  'chain.info': () => ({ chainId, suite: 'ed25519-sha256' }),
  'state.get': (input: unknown) => {
    if ((input as { key: string }).key !== 'assets/asset/CNYX')
      throw new FakeNodeError('not_found', 'no such key', 404);
    return { key: 'assets/asset/CNYX', value: { symbol: 'CNYX', decimals: 2 }, height: 0 };
  },
  'account.get': (input: unknown) => ({
    address: (input as { address: string }).address,
    nonce,
    keys: [],
    keysFromAddress: true,
    balances: {},
  }),
  'tx.submitAndWait': (input: unknown) => submit(input as { tx: string }),
};

const isSubmit = (r: FakeRequest) => r.calls.some((c) => c.procedure === 'tx.submitAndWait');

/** Decode and check what the page POSTed, as the node would. */
function submitted(req: FakeRequest | { tx: string }) {
  const input = 'calls' in req ? (req.calls[0]!.input as { tx: string }) : req;
  const tx = decodeTx(suite, fromHex(input.tx));
  expect(verifyTxSignature(suite, tx)).toBe(true);
  return tx;
}

async function page() {
  const pinia = createPinia();
  setActivePinia(pinia);
  i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
  wrapper = mount(SignRequestDialog, { global: { plugins: [i18n, pinia] }, attachTo: document.body });
  const keyring = useKeyring();
  const account = await keyring.create({
    label: '张三的钱包',
    password: 'secret password',
    suite: 'ed25519-sha256',
  });
  return { keyring, account };
}

async function dialogShown() {
  await vi.waitFor(() => expect(wrapper!.find('[data-test="sign-action"]').exists()).toBe(true));
}

const actionTexts = () => wrapper!.findAll('[data-test="sign-action"]').map((li) => li.text());

function passwordInput() {
  const el = wrapper!.find('[data-test="sign-password"]');
  return el.element.tagName === 'INPUT' ? el : el.find('input');
}

beforeEach(() => {
  localStorage.clear();
  configureUi({ kdf: { N: 1024, r: 8, p: 1 } });
  nonce = 7;
  submit = (input) => {
    const tx = submitted(input);
    return { id: toHex(tx.id), height: 12, blockHash: 'ab'.repeat(32), ok: true, events: [] };
  };
  mockChain(chainNode);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.unstubAllGlobals();
  configureUi();
});

describe('signAndSend', () => {
  it('shows the decoded actions, signs after confirmation and submits a tx the ledger accepts', async () => {
    const { keyring, account } = await page();
    const requests = mockChain(chainNode);
    const undecoded: Action = { contract: 'parking', name: 'pay', params: { spot: 'A-12', minutes: 90 } };
    const sent = keyring.signAndSend([transfer, undecoded], { memo: '测试', describe: '付午饭钱' });
    await dialogShown();

    const texts = actionTexts();
    expect(texts[0]).toContain(`转账 1,234.56 CNYX 给 ${friend}`);
    expect(texts[0]).toContain('（备注：午饭）');
    // Nobody registered parking.pay: contract, action and params in full.
    expect(texts[1]).toContain('调用 parking.pay，参数：{"spot":"A-12","minutes":90}');
    expect(texts[1]).toContain('无法解读');
    expect(wrapper!.find('[data-test="sign-describe"]').text()).toBe('付午饭钱');
    expect(wrapper!.find('[data-test="sign-memo"]').text()).toBe('测试');
    expect(wrapper!.find('[data-test="sign-account"]').text()).toContain('张三的钱包');
    expect(wrapper!.find('[data-test="sign-account"]').text()).toContain(account.address);
    expect(wrapper!.find('[data-test="sign-chain"]').text()).toBe(chainId);
    expect(wrapper!.find('[data-test="sign-raw"]').text()).toContain('"amount": "123456"');
    // Unlocked: no password asked. Nothing was submitted before the person confirmed.
    expect(wrapper!.find('[data-test="sign-password"]').exists()).toBe(false);
    expect(requests.some(isSubmit)).toBe(false);

    expect(committedHeight()).toBe(0);
    await wrapper!.find('[data-test="sign-confirm"]').trigger('click');
    const receipt = await sent;
    expect(receipt).toMatchObject({ height: 12, ok: true });
    // The app APIs' reads from now on name the block the tx went into.
    expect(committedHeight()).toBe(12);

    const post = requests.find(isSubmit)!;
    expect(post.method).toBe('POST');
    expect(post.init?.credentials).toBe('same-origin');
    const tx = submitted(post);
    expect(receipt.id).toBe(toHex(tx.id));
    expect(tx.body).toMatchObject({ chainId, from: account.address, nonce: 7, memo: '测试' });
    expect(toHex(tx.body.key)).toBe(account.publicKey);
    // Canonical bytes: the ledger decodes a bigint that fits a safe integer back as a number.
    expect(encodeCanonical(tx.body.actions as unknown as Value)).toEqual(
      encodeCanonical([transfer, undecoded] as unknown as Value),
    );
    await flushPromises();
    expect(wrapper!.find('[data-test="sign-action"]').exists()).toBe(false);
  });

  it('rejects with cancelled and submits nothing when the person cancels', async () => {
    const { keyring } = await page();
    const requests = mockChain(chainNode);
    const sent = keyring.signAndSend([transfer]);
    await dialogShown();
    await wrapper!.find('[data-test="sign-cancel"]').trigger('click');
    await expect(sent).rejects.toThrow(KeyringError);
    await expect(sent).rejects.toMatchObject({ code: 'cancelled' });
    expect(requests.some(isSubmit)).toBe(false);
    expect(proceduresOf(requests)).not.toContain('account.get');
  });

  it('asks for the password of a locked account and keeps the dialog open on a wrong one', async () => {
    const { keyring } = await page();
    keyring.lock();
    const sent = keyring.signAndSend([transfer]);
    await dialogShown();
    const confirm = wrapper!.find('[data-test="sign-confirm"]');
    expect(confirm.attributes('disabled')).toBeDefined();

    await passwordInput().setValue('wrong password');
    await confirm.trigger('click');
    await vi.waitFor(() => expect(wrapper!.find('[data-test="sign-error"]').text()).toBe('密码错误。'));
    expect(keyring.isUnlocked()).toBe(false);

    await passwordInput().setValue('secret password');
    await wrapper!.find('[data-test="sign-confirm"]').trigger('click');
    await expect(sent).resolves.toMatchObject({ ok: true });
    expect(keyring.isUnlocked()).toBe(true);
  });

  it('reads in English, uses registered decoders and says when decimals are unknown', async () => {
    const { keyring } = await page();
    i18n.global.locale.value = 'en';
    i18n.global.mergeLocaleMessage('en', { parking: { enter: 'Enter the car park at spot {spot}' } });
    registerActionDecoder('parking.enter', (p, t) => t('parking.enter', { spot: p.spot }));
    const unknownAsset: Action = {
      contract: 'assets',
      name: 'burn',
      params: { symbol: 'ZZZ', amount: 5000n },
    };
    const sent = keyring.signAndSend([
      transfer,
      { contract: 'parking', name: 'enter', params: { spot: 'B-3' } },
      unknownAsset,
    ]);
    await dialogShown();
    expect(actionTexts()).toEqual([
      `Transfer 1,234.56 CNYX to ${friend} (memo: 午饭)`,
      'Enter the car park at spot B-3',
      'Burn 5,000 smallest units of ZZZ',
    ]);
    await wrapper!.find('[data-test="sign-cancel"]').trigger('click');
    await expect(sent).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('shows a channel’s deposits in the asset’s decimals, looked up from the symbols nested in its params', async () => {
    const { keyring } = await page();
    i18n.global.locale.value = 'en';
    const open: Action = {
      contract: 'channels',
      name: 'open',
      params: {
        peer: friend,
        peerKey: new Uint8Array(32).fill(2),
        disputeMs: 60_000,
        deposits: [{ symbol: 'CNYX', amount: 1_000_001n }],
      },
    };
    const sent = keyring.signAndSend([open]);
    await dialogShown();
    expect(actionTexts()).toEqual([
      `Open a payment channel to ${friend} with the deposits 10,000.01 CNYX (dispute window 60 s)`,
    ]);
    await wrapper!.find('[data-test="sign-cancel"]').trigger('click');
    await expect(sent).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('throws a ChainError with the node’s code when the tx is refused, and returns failed receipts', async () => {
    const { keyring } = await page();
    submit = () => {
      throw new FakeNodeError('bad_nonce', 'nonce 7 is not the account’s next nonce 8', 400);
    };
    const refused = keyring.signAndSend([transfer]);
    await dialogShown();
    await wrapper!.find('[data-test="sign-confirm"]').trigger('click');
    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChainError);
    expect(error).toMatchObject({ code: 'bad_nonce', status: 400 });

    submit = (input) => ({
      id: toHex(submitted(input).id),
      height: 13,
      blockHash: 'cd'.repeat(32),
      ok: false,
      code: 'insufficient_funds',
      message: 'has 0 CNYX',
      events: [],
    });
    const failed = keyring.signAndSend([transfer]);
    await dialogShown();
    await wrapper!.find('[data-test="sign-confirm"]').trigger('click');
    await expect(failed).resolves.toMatchObject({ ok: false, code: 'insufficient_funds' });
  });

  it('refuses to sign without a mounted dialog or for an account of another suite', async () => {
    const { keyring } = await page();
    mockChain({ ...chainNode, 'chain.info': () => ({ chainId, suite: 'sm2-sm3' }) });
    await expect(keyring.signAndSend([transfer])).rejects.toMatchObject({ code: 'wrong_suite' });
    mockChain(chainNode);
    wrapper!.unmount();
    wrapper = undefined;
    await expect(keyring.signAndSend([transfer])).rejects.toMatchObject({ code: 'no_dialog' });
  });
});

describe('round trips and nonces', () => {
  async function confirmAll(count: number) {
    for (let i = 0; i < count; i++) {
      await dialogShown();
      await wrapper!.find('[data-test="sign-confirm"]').trigger('click');
      await flushPromises();
    }
  }

  it('asks the chain once per page and the account once, then goes from confirmation straight to submit', async () => {
    const { keyring } = await page();
    const requests = mockChain(chainNode);
    const first = keyring.signAndSend([transfer]);
    await confirmAll(1);
    await first;
    // Before the dialog: chain identity and decimals (one batch); after: the account's nonce, the submit.
    expect(requests.map((r) => r.calls.map((c) => c.procedure))).toEqual([
      ['chain.info', 'state.get'],
      ['account.get'],
      ['tx.submitAndWait'],
    ]);
    requests.length = 0;
    const second = keyring.signAndSend([transfer]);
    await confirmAll(1);
    await second;
    expect(proceduresOf(requests)).toEqual(['tx.submitAndWait']);
    expect(submitted(requests[0]!).body.nonce).toBe(8);
  });

  it('gives two signatures started at once consecutive nonces', async () => {
    const { keyring } = await page();
    const requests = mockChain(chainNode);
    const both = Promise.all([keyring.signAndSend([transfer]), keyring.signAndSend([transfer])]);
    await confirmAll(2);
    await both;
    const nonces = requests
      .flatMap((r) => r.calls)
      .filter((c) => c.procedure === 'tx.submitAndWait')
      .map((c) => submitted(c.input as { tx: string }).body.nonce);
    expect(nonces.sort()).toEqual([7, 8]);
    expect(proceduresOf(requests).filter((p) => p === 'account.get')).toHaveLength(1);
  });

  it('renumbers a tx once when another device used the cached nonce', async () => {
    const { keyring } = await page();
    const requests = mockChain(chainNode);
    let expected = 7;
    submit = (input) => {
      const tx = submitted(input);
      if (tx.body.nonce !== expected) throw new FakeNodeError('bad_nonce', `expected ${expected}`, 400);
      expected++;
      return { id: toHex(tx.id), height: 12, blockHash: 'ab'.repeat(32), ok: true, events: [] };
    };
    const first = keyring.signAndSend([transfer]);
    await confirmAll(1);
    await first;
    // Another tab signed two txs meanwhile.
    expected += 2;
    nonce = expected;
    requests.length = 0;
    const second = keyring.signAndSend([transfer]);
    await confirmAll(1);
    await expect(second).resolves.toMatchObject({ ok: true });
    expect(proceduresOf(requests)).toEqual(['tx.submitAndWait', 'account.get', 'tx.submitAndWait']);
    expect(requests.filter(isSubmit).map((r) => submitted(r).body.nonce)).toEqual([8, 10]);
  });
});

describe('key rotation', () => {
  it('signs identity.rotateKey with the old key, then keeps the new key under the same address', async () => {
    const { keyring, account } = await page();
    const requests = mockChain(chainNode);
    const oldKey = account.publicKey;
    const rotated = keyring.rotateKey(account.address, { password: 'secret password' });
    await dialogShown();
    await wrapper!.find('[data-test="sign-confirm"]').trigger('click');
    const receipt = await rotated;
    expect(receipt.ok).toBe(true);
    const tx = submitted(requests.find(isSubmit)!);
    expect(toHex(tx.body.key)).toBe(oldKey);
    const newKey = tx.body.actions[0]!.params.newKey as Uint8Array;
    const now = keyring.accounts.find((a) => a.address === account.address)!;
    expect(now.publicKey).toBe(toHex(newKey));
    expect(now.publicKey).not.toBe(oldKey);
    // The new vault opens with the same password and signs as the same account.
    keyring.lock();
    await keyring.unlock(account.address, 'secret password');
    expect(keyring.isUnlocked(account.address)).toBe(true);
  });
});
