// The members' console in the browser without a chain: the proposal form turns what a member typed into
// the governance.propose action the contract expects (or says in words what is wrong, signing nothing),
// and an operator key file is read for its key.
import { addressFromPublicKey, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { ElSelect } from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const signAndSend = vi.hoisted(() => vi.fn());
vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useKeyring: () => ({ signAndSend, accounts: [] }),
}));

import ProposeForm from './components/propose-form.vue';
import { byName, keyHex, parseKeyFile, payloadSummary } from './members';

const suite = getSuite('ed25519-sha256');
const member = 'gx13nrr3ehgc3fzpmkk7rlt88fsqmaakeqv90m0gg';
const newKey = suite.publicKeyFromPrivate(new Uint8Array(32).fill(7));

function form() {
  return mount(ProposeForm, {
    props: { from: member, validators: [{ key: 'aa'.repeat(32), name: 'node1' }], height: 40 },
    global: { plugins: [appIdPlugin('explorer'), createSuiteI18n({ 'zh-CN': zhCN, en })] },
  });
}

const field = (w: ReturnType<typeof form>, name: string) => {
  const el = w.find(`[data-test="propose-${name}"]`);
  return el.element.tagName === 'INPUT' || el.element.tagName === 'TEXTAREA' ? el : el.find('input');
};

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  signAndSend.mockReset();
  serveDeploymentClock(0);
});
afterEach(() => vi.unstubAllGlobals());

describe('propose form', () => {
  it("proposes next year's calendar by the deployment clock, not this device's", async () => {
    // The chain's clock 400 days behind this device: another year.
    serveDeploymentClock(-400 * 86_400_000);
    const w = form();
    w.findComponent(ElSelect).vm.$emit('update:modelValue', 'setCalendar');
    await flushPromises();
    const year = new Date(Date.now() - 400 * 86_400_000).getFullYear() + 1;
    expect((field(w, 'year').element as HTMLInputElement).value).toBe(String(year));
  });

  it('signs governance.propose adding a validator, its operator the key’s own address by default', async () => {
    signAndSend.mockResolvedValue({
      ok: true,
      id: 'cd'.repeat(32),
      events: [{ contract: 'governance', name: 'proposed', attrs: { id: 'cd'.repeat(32) } }],
    });
    const w = form();
    await field(w, 'key').setValue(toHex(newKey));
    await field(w, 'name').setValue('node5');
    await w.find('[data-test="propose-form"]').trigger('submit');
    await flushPromises();

    expect(signAndSend).toHaveBeenCalledTimes(1);
    const [actions, opts] = signAndSend.mock.calls[0]!;
    expect(opts).toMatchObject({ from: member, describe: '发起提案：加入验证者' });
    expect(actions).toEqual([
      {
        contract: 'governance',
        name: 'propose',
        params: {
          kind: 'addValidator',
          payload: { key: newKey, power: 10, name: 'node5', operator: addressFromPublicKey(suite, newKey) },
        },
      },
    ]);
    expect(w.emitted('proposed')).toEqual([['cd'.repeat(32)]]);
  });

  it('says what is wrong and signs nothing for a short key or a missing name', async () => {
    const w = form();
    await field(w, 'key').setValue('abcd');
    await field(w, 'name').setValue('node5');
    await w.find('[data-test="propose-form"]').trigger('submit');
    await flushPromises();
    expect(w.find('[data-test="propose-error"]').text()).toContain('公钥应为 64 位十六进制');

    await field(w, 'key').setValue(toHex(newKey));
    await field(w, 'name').setValue('');
    await w.find('[data-test="propose-form"]').trigger('submit');
    await flushPromises();
    expect(w.find('[data-test="propose-error"]').text()).toContain('请填写名称');
    expect(signAndSend).not.toHaveBeenCalled();
  });

  it('shows the contract’s refusal in words', async () => {
    signAndSend.mockResolvedValue({ ok: false, id: 'ef'.repeat(32), code: 'already_exists', events: [] });
    const w = form();
    await field(w, 'key').setValue(toHex(newKey));
    await field(w, 'name').setValue('node5');
    await w.find('[data-test="propose-form"]').trigger('submit');
    await flushPromises();
    expect(w.find('[data-test="propose-error"]').text()).toContain('链拒绝了这笔交易：already_exists');
    expect(w.emitted('proposed')).toBeUndefined();
  });
});

describe('operator key files and proposal words', () => {
  it('reads the suite and private key of a key file and refuses anything else', () => {
    const privateKey = toHex(new Uint8Array(32).fill(9));
    expect(parseKeyFile(JSON.stringify({ suite: 'ed25519-sha256', publicKey: 'x', privateKey }))).toEqual({
      suite: 'ed25519-sha256',
      privateKey,
    });
    expect(() => parseKeyFile('not json')).toThrow('not_json');
    expect(() => parseKeyFile(JSON.stringify({ suite: 'ed25519-sha256', privateKey: 'abcd' }))).toThrow(
      'not_key_file',
    );
    expect(() => parseKeyFile('null')).toThrow('not_key_file');
  });

  it('summarises each kind of change by the fields a member checks', () => {
    expect(
      payloadSummary('addValidator', {
        key: `0x${toHex(newKey)}`,
        power: 10,
        name: 'node5',
        operator: member,
      }),
    ).toEqual({ name: 'node5', key: toHex(newKey), operator: member, power: '10' });
    // Keys as the explorer shows them everywhere else: lowercase hex, no prefix.
    expect(payloadSummary('setPower', { key: `0x${'AB'.repeat(32)}`, power: 3 })).toEqual({
      key: 'ab'.repeat(32),
      power: '3',
    });
    expect(payloadSummary('removeValidator', { key: 'cd'.repeat(32) })).toEqual({ key: 'cd'.repeat(32) });
    expect(keyHex(`0X${'Ef'.repeat(32)}`)).toBe('ef'.repeat(32));
    expect(payloadSummary('setCalendar', { year: 2027, holidays: ['01-01', '10-01'], workdays: [] })).toEqual(
      {
        year: '2027',
        holidays: '01-01, 10-01',
        workdays: '',
      },
    );
    expect(payloadSummary('setParam', { name: 'fee.base', value: null })).toEqual({
      name: 'fee.base',
      value: '—',
    });
  });
});

describe('validators in order', () => {
  it('lists validators by name, numbers in names counted as numbers, then by key; the input stays', () => {
    const set = [
      { name: 'node10', key: 'aa' },
      { name: 'node2', key: 'bb' },
      { name: 'Node1', key: 'cc' },
      { name: 'node2', key: 'ab' },
    ];
    expect(byName(set).map((v) => `${v.name}:${v.key}`)).toEqual([
      'Node1:cc',
      'node2:ab',
      'node2:bb',
      'node10:aa',
    ]);
    expect(set[0]!.name).toBe('node10');
  });
});
