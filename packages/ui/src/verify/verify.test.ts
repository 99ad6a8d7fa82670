import {
  type ActionDefinition,
  ContractRegistry,
  createGenesisState,
  defineAction,
  encodeEvent,
  encodeProofBundle,
  inclusionProof,
  leafHash,
  type RuntimeEnv,
  toHex,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { certify, nextBlock, signedTx, testAccount, testValidator } from '@gongxin/ledger/testing';
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import VerifyRecord from '../components/verify-record.vue';
import { createSuiteI18n } from '../i18n';
import { FakeNodeError, mockChain, mockFetch } from '../testing/fetch-mock';
import { verifyRecordInBrowser } from './verify';

// A one-block chain with five txs, each emitting one event, certified by three of four validators.
const suite = getSuite('ed25519-sha256');
const chainId = 'gongxin-verify';
// The ledger's contracts validate params with zod; this test contract takes anything.
const anyParams = { safeParse: (data: unknown) => ({ success: true, data }) } as unknown as Parameters<
  typeof defineAction
>[0];
const memo = {
  name: 'memo',
  version: 1,
  actions: {
    write: defineAction(anyParams, (ctx, params) =>
      ctx.emit('written', { text: String((params as { text: string }).text) }),
    ) as ActionDefinition<never>,
  },
};
const env: RuntimeEnv = { suite, contracts: new ContractRegistry([memo]) };
const validators = [1, 2, 3, 4].map((i) => testValidator(suite, i));
const genesis = createGenesisState(env, {
  chainId,
  suite: suite.id,
  time: 1_000,
  validators: validators.map((v) => v.validator),
}).state;
const user = testAccount(suite, 7);
const txs = [0, 1, 2, 3, 4].map((n) =>
  signedTx(suite, chainId, user, n, [{ contract: 'memo', name: 'write', params: { text: `note ${n}` } }]),
);
const block = nextBlock(env, genesis, txs, validators[0]!.account.publicKey);
const certificate = certify(
  suite,
  block.header,
  validators.slice(0, 3).map((v) => v.account),
);
const txIds = block.receipts.map((r) => toHex(r.txId));
const blockHash = toHex(block.hash);

function txBundle(index: number): string {
  const proof = inclusionProof(
    suite.hash,
    txs.map((t) => leafHash(suite.hash, t)),
    index,
  );
  return toHex(
    encodeProofBundle({
      record: { kind: 'tx', bytes: txs[index]! },
      proof,
      header: block.header,
      certificate,
    }),
  );
}

function eventBundle(index: number): string {
  const leaves = block.events.map((e) => encodeEvent(e));
  const proof = inclusionProof(
    suite.hash,
    leaves.map((l) => leafHash(suite.hash, l)),
    index,
  );
  return toHex(
    encodeProofBundle({
      record: { kind: 'event', bytes: leaves[index]! },
      proof,
      header: block.header,
      certificate,
    }),
  );
}

function flipByte(hex: string, at: number): string {
  const byte = Number.parseInt(hex.slice(at * 2, at * 2 + 2), 16) ^ 0x01;
  return `${hex.slice(0, at * 2)}${byte.toString(16).padStart(2, '0')}${hex.slice(at * 2 + 2)}`;
}

const validatorSet = {
  chainId,
  suite: suite.id,
  height: 1,
  validators: validators.map((v) => ({ ...v.validator, key: toHex(v.validator.key) })),
  totalPower: 40,
};

/** The node API, optionally answering a tx's proof with another tx's (a lying server). */
function node(opts: { lieAbout?: string } = {}) {
  const unknown = () => new FakeNodeError('not_found', 'no such record', 404);
  return mockChain({
    'proof.tx': (input) => {
      const { id } = input as { id: string };
      const index = txIds.indexOf(id);
      if (index < 0) throw unknown();
      const served = id === opts.lieAbout ? (index + 1) % txs.length : index;
      return { kind: 'tx', bundle: txBundle(served), height: 1, blockHash };
    },
    'proof.event': (input) => {
      const { height, index } = input as { height: number; index: number };
      if (height !== 1 || index >= block.events.length) throw unknown();
      return { kind: 'event', bundle: eventBundle(index), height: 1, blockHash };
    },
    'validators.at': (input) => {
      if ((input as { height: number }).height !== 1) throw unknown();
      return validatorSet;
    },
  });
}

beforeEach(() => localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('verifyRecordInBrowser', () => {
  it('verifies a tx and an event against the validator set of their block', async () => {
    const requests = node();
    const tx = await verifyRecordInBrowser({ kind: 'tx', id: txIds[3]! });
    expect(tx).toMatchObject({ status: 'verified', height: 1, blockHash });
    expect(tx.steps.map((s) => [s.check, s.ok])).toEqual([
      ['record', true],
      ['chain', true],
      ['inclusion', true],
      ['validators', true],
      ['certificate', true],
    ]);
    expect(requests.map((r) => r.calls)).toEqual([
      [{ procedure: 'proof.tx', input: { id: txIds[3] } }],
      [{ procedure: 'validators.at', input: { height: 1 } }],
    ]);
    expect(requests.every((r) => new URL(r.url, 'http://x').pathname.startsWith('/chain/trpc/'))).toBe(true);

    const event = await verifyRecordInBrowser({ kind: 'event', height: 1, index: 2, chainBase: '/chain/' });
    expect(event.status).toBe('verified');
    expect(event.steps[0]).toMatchObject({
      check: 'record',
      ok: true,
      detail: 'event 2 of block 1: memo.written',
    });
  });

  it('fails a bundle with any flipped byte, naming the check that failed', async () => {
    node();
    const bundle = txBundle(1);
    const positions = [0, 10, bundle.length / 4, bundle.length / 2 - 1];
    for (const at of positions) {
      const result = await verifyRecordInBrowser({ kind: 'tx', bundle: flipByte(bundle, Math.floor(at)) });
      expect(result.status).toBe('failed');
      expect(result.failed).toBeTruthy();
      expect(result.steps.at(-1)?.ok).toBe(false);
    }
  });

  it('fails the proof of another record than the one asked for', async () => {
    node({ lieAbout: txIds[0] });
    const result = await verifyRecordInBrowser({ kind: 'tx', id: txIds[0]! });
    expect(result).toMatchObject({
      status: 'failed',
      failed: `record: the proof is not of tx ${txIds[0]}`,
      failedCode: 'record-not-tx',
    });
    expect(result.steps.at(-1)).toMatchObject({ code: 'record-not-tx', params: { id: txIds[0] } });
  });

  it('fails against a pinned validator set that did not sign the block', async () => {
    node();
    const strangers = [5, 6].map((i) => testValidator(suite, i).validator);
    const result = await verifyRecordInBrowser({
      kind: 'tx',
      id: txIds[0]!,
      trusted: { chainId, suite: suite.id, validators: strangers },
    });
    expect(result.status).toBe('failed');
    expect(result.steps.find((s) => !s.ok)?.check).toBe('validators');
    // The code comes from the ledger's verifier with its step, not from reading its English.
    expect(result.failedCode).toBe('validators-set');
  });

  it('rejects when the node does not know the record', async () => {
    node();
    await expect(verifyRecordInBrowser({ kind: 'tx', id: 'ff'.repeat(32) })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('<VerifyRecord>', () => {
  function mountVerify(props: Record<string, unknown>) {
    const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
    return mount(VerifyRecord, { props: props as never, global: { plugins: [i18n] } });
  }

  it('shows every check passing, the block height and hash', async () => {
    node();
    const wrapper = mountVerify({ kind: 'tx', id: txIds[2] });
    expect(wrapper.find('[data-test="verify-result"]').exists()).toBe(false);
    await wrapper.find('[data-test="verify-button"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="verify-result"]').exists()).toBe(true));
    const result = wrapper.find('[data-test="verify-result"]');
    expect(result.attributes('data-state')).toBe('verified');
    expect(result.text()).toContain('已验证');
    for (const check of ['record', 'chain', 'inclusion', 'validators', 'certificate']) {
      const step = wrapper.find(`[data-test="verify-step-${check}"]`);
      expect(step.attributes('data-ok')).toBe('true');
      expect(step.text()).toContain('✓');
    }
    // Each passed check's figures in the page's language (zh-CN here), not the English detail.
    expect(wrapper.find('[data-test="verify-step-certificate"]').text()).toContain('40 投票权中的 30 已签名');
    expect(wrapper.find('[data-test="verify-step-validators"]').text()).toContain('4 个受信任的验证者');
    expect(wrapper.find('[data-test="verify-step-inclusion"]').text()).toMatch(/第 3 条交易（共 \d+ 条）/);
    expect(wrapper.find('[data-test="verify-step-record"]').text()).toContain(`交易 ${txIds[2]}`);
    expect(wrapper.text()).not.toContain('voting power');
    expect(wrapper.find('[data-test="block-link"]').attributes('href')).toBe('/explorer/#/block/1');
    expect(wrapper.find('[data-test="verify-block"]').text()).toContain(blockHash);
  });

  it('says the checks in English on an English page', async () => {
    node();
    const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
    i18n.global.locale.value = 'en';
    const wrapper = mount(VerifyRecord, {
      props: { kind: 'tx', id: txIds[2] } as never,
      global: { plugins: [i18n] },
    });
    await wrapper.find('[data-test="verify-button"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="verify-result"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="verify-step-certificate"]').text()).toContain(
      'signed by 30 of 40 voting power',
    );
    expect(wrapper.find('[data-test="verify-step-inclusion"]').text()).toMatch(
      /tx 3 of \d+, matching the block Merkle root/,
    );
  });

  it('shows a tampered bundle failing at the check it breaks', async () => {
    node();
    // The last byte is inside the certificate's last signature.
    const bundle = txBundle(0);
    const wrapper = mountVerify({ kind: 'tx', bundle: flipByte(bundle, bundle.length / 2 - 1) });
    await wrapper.find('[data-test="verify-button"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="verify-result"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="verify-result"]').attributes('data-state')).toBe('failed');
    const failed = wrapper.find('[data-ok="false"]');
    expect(failed.text()).toContain('✗');
    expect(failed.attributes('data-test')).toBe('verify-step-certificate');
    expect(wrapper.find('[data-test="verify-block"]').exists()).toBe(false);
    // Why, in the page's language; the verifier's English folded under "technical details".
    expect(failed.attributes('data-code')).toBe('certificate-signature');
    expect(failed.find('[data-test="verify-step-detail"]').text()).toBe('验证者 validator-3 的签名无效');
    expect(failed.find('[data-test="verify-technical"] summary').text()).toBe('技术细节');
    expect(failed.find('[data-test="verify-technical-detail"]').text()).toBe(
      'bad precommit signature by validator validator-3',
    );
  });

  it('shows an error when the node cannot be asked', async () => {
    mockFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const wrapper = mountVerify({ kind: 'event', height: 1, index: 0 });
    await wrapper.find('[data-test="verify-button"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="verify-result"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="verify-result"]').attributes('data-state')).toBe('error');
    const problem = wrapper.get('[data-test="verify-error"]');
    expect(problem.get('[data-test="error-message"]').text()).toBe('无法连接到链，请检查网络后重试。');
    // The browser's own words are for support, folded away under the sentence.
    expect(problem.get('details summary').text()).toBe('技术详情');
    expect(problem.get('[data-test="error-detail-text"]').text()).toBe('network: Failed to fetch');
  });
});
