// The change of registration on the enterprise's own page: it starts from the record as registered, shows
// each field it changes old → new, refuses a field the chain would refuse with that field's own message
// (the registration form's checks), signs only the changed fields dated on the deployment clock, and says
// by the form how it went with links to the tx and its block.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ChangeFilingForm from './components/change-filing-form.vue';
import {
  DEPLOYMENT_NOW,
  deploymentNow,
  type FilingWrapper,
  input,
  mountFiling,
  press,
  problem,
  settle,
  sign,
} from './testing/filing-form';

const REP = 'gx17h7pvts9cvtzmxj29qy8evyuvlzkggs6ux2wgg';
const NEXT_REP = 'gx1jl3q3emq25em5aqz5nmqdtvqp4fxx253xlkatz';
const TX = 'c0ffee'.repeat(10) + 'beef';
vi.mock('./api', () => ({
  chinaDate: (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10),
  yuan: (fen: string) => `¥${(BigInt(fen) / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.00`,
}));
vi.mock('@gongxin/ui', (original) =>
  import('./testing/filing-form').then((m) => m.withFilingStubs(original)),
);

const current = {
  uscc: '91440300MA5DQ3LX0B',
  name: '深圳市鹏程电子科技有限公司',
  address: '广东省深圳市南山区科技园南区高新南九道10号',
  capital: '5000000000',
  representative: REP,
  industry: 'C3971',
  legalForm: 'limited_company',
};

const render = (locale?: string) =>
  mountFiling(
    ChangeFilingForm,
    { enterprise: current, names: { [REP]: '陈志强', [NEXT_REP]: '林晓燕' } },
    locale,
  );

async function fill(w: FilingWrapper, fields: Record<string, string>) {
  for (const [id, value] of Object.entries(fields)) await input(w, id).setValue(value);
  await settle();
}
const submit = (w: FilingWrapper) => press(w, 'change-submit');
const diffLines = (w: FilingWrapper) =>
  w.findAll('[data-test="change-diff"] .rg-diff-line').map((li) => li.text());

describe('change of registration', () => {
  beforeEach(() => {
    sign.mockReset();
    sign.mockResolvedValue({ ok: true, id: TX, height: 4217, blockHash: 'ab', events: [] });
  });

  it('starts from the registered values, dated today on the deployment clock, with nothing to change', async () => {
    const w = await render();
    await settle();
    expect((input(w, 'change-name').element as HTMLInputElement).value).toBe(current.name);
    expect((input(w, 'change-capital').element as HTMLInputElement).value).toBe('50000000');
    expect((input(w, 'change-effective').element as HTMLInputElement).value).toBe('2027-03-14');
    expect(w.find('[data-test="change-none"]').exists()).toBe(true);
    await fill(w, { 'change-reason': '无' });
    await submit(w);
    expect(sign).not.toHaveBeenCalled();
    expect(w.find('[data-test="change-error"]').text()).toContain('至少改动一项');
    w.unmount();
  });

  it('names what is wrong with each changed field by the registration checks, and signs nothing', async () => {
    const w = await render();
    await settle();
    await fill(w, {
      'change-name': '',
      'change-capital': '六千万',
      'change-industry': 'X12',
      'change-representative': 'did:gx:someone',
      'change-effective': '2027-02-30',
    });
    await submit(w);
    expect(sign).not.toHaveBeenCalled();
    expect(problem(w, 'change-name')).toBe('必填');
    expect(problem(w, 'change-capital')).toContain('以元为单位');
    expect(problem(w, 'change-industry')).toContain('GB/T 4754');
    expect(problem(w, 'change-representative')).toContain('gx1');
    expect(problem(w, 'change-effective')).toContain('实际存在的日期');
    expect(problem(w, 'change-reason')).toBe('必填');
    expect(problem(w, 'change-address')).toBe('');
    expect(w.find('[data-test="change-error"]').text()).toContain('尚未签名');
    w.unmount();
  });

  it('shows old → new, signs only the changed fields, and links the outcome to its tx and block', async () => {
    const w = await render();
    await settle();
    await fill(w, {
      'change-name': '深圳市鹏程智能科技有限公司',
      'change-capital': '60,000,000',
      'change-industry': 'c3971',
      'change-reason': '更名并增资',
    });
    // The industry typed in lower case is the same code: no change.
    expect(diffLines(w)).toEqual([
      '企业名称：深圳市鹏程电子科技有限公司→深圳市鹏程智能科技有限公司',
      '注册资本：¥50,000,000.00→¥60,000,000.00',
    ]);
    await submit(w);
    expect(sign).toHaveBeenCalledTimes(1);
    const [action] = sign.mock.calls[0]![0];
    expect(action).toEqual({
      contract: 'registry',
      name: 'fileChange',
      params: {
        uscc: current.uscc,
        changes: { name: '深圳市鹏程智能科技有限公司', capital: 6_000_000_000n },
        effectiveOn: '2027-03-14',
        reason: '更名并增资',
      },
    });
    const done = w.find('[data-test="change-done"]');
    expect(done.text()).toContain('变更申请已上链');
    expect(done.find('[data-test="tx-link"]').attributes('href')).toContain(TX);
    expect(done.find('[data-test="block-link"]').attributes('href')).toContain('4217');
    expect(w.emitted('filed')).toHaveLength(1);
    w.unmount();
  });

  it('names the industry typed, and refuses one whose division is of another section', async () => {
    const w = await render();
    await settle();
    await fill(w, { 'change-industry': 'I6450' });
    expect(w.find('[data-test="change-industry-words"]').text()).toBe(
      '信息传输、软件和信息技术服务业 · 互联网和相关服务',
    );
    await fill(w, { 'change-industry': 'I3971', 'change-reason': '转型' });
    await submit(w);
    expect(sign).not.toHaveBeenCalled();
    expect(problem(w, 'change-industry')).toBe(
      '大类 39（计算机、通信和其他电子设备制造业）属于门类 C，不属于 I：应为 C3971',
    );
    expect(w.find('[data-test="change-industry-words"]').exists()).toBe(false);
    w.unmount();
  });

  it('submitted before the deployment clock answers, waits for it and signs dated today', async () => {
    let answer: (now: number) => void = () => {};
    deploymentNow.mockImplementationOnce(() => new Promise<number>((r) => (answer = r)));
    const w = await render();
    await settle();
    expect((input(w, 'change-effective').element as HTMLInputElement).value).toBe('');
    await fill(w, { 'change-address': '广东省深圳市福田区福华三路88号', 'change-reason': '迁址' });
    await submit(w);
    // Nothing signed and no problem shown while the clock is still on its way; the button is busy.
    expect(sign).not.toHaveBeenCalled();
    expect(problem(w, 'change-effective')).toBe('');
    expect(w.find('[data-test="change-error"]').exists()).toBe(false);
    expect(w.find('[data-test="change-submit"]').classes()).toContain('is-loading');
    answer(DEPLOYMENT_NOW);
    await settle();
    expect(sign).toHaveBeenCalledTimes(1);
    expect(sign.mock.calls[0]![0][0].params).toMatchObject({
      changes: { address: '广东省深圳市福田区福华三路88号' },
      effectiveOn: '2027-03-14',
    });
    expect(w.find('[data-test="change-done"]').exists()).toBe(true);
    w.unmount();
  });

  it('shows a new representative by name and the chain’s refusal by the form, in English', async () => {
    sign.mockRejectedValueOnce(new Error('the new representative has no passport'));
    const w = await render('en');
    await settle();
    await fill(w, { 'change-representative': NEXT_REP, 'change-reason': 'New representative' });
    const line = w.find('[data-test="change-diff"] [data-field="representative"]');
    expect(line.findAll('[data-test="party-name"]').map((n) => n.text())).toEqual(['陈志强', '林晓燕']);
    await submit(w);
    expect(sign).toHaveBeenCalledTimes(1);
    expect(sign.mock.calls[0]![0][0].params.changes).toEqual({ representative: NEXT_REP });
    expect(w.find('[data-test="change-error"]').exists()).toBe(true);
    expect(w.find('[data-test="change-done"]').exists()).toBe(false);
    w.unmount();
  });
});
