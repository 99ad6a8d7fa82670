// The deregistration filing on the enterprise's own page: it says in one sentence what deregistration
// means, names what is wrong with each field and signs nothing until the cause is chosen, the date is not
// before today on the deployment clock and the filer has confirmed; then it signs `fileDeregistration`
// with the cause in the register's words and links the outcome to its tx and block.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import DeregistrationForm from './components/deregistration-form.vue';
import { checkDeregistration, DEREGISTRATION_CAUSE_KEYS } from './deregistration';
import { type FilingWrapper, input, mountFiling, press, problem, settle, sign } from './testing/filing-form';

const TX = 'c0ffee'.repeat(10) + 'beef';
vi.mock('./api', () => ({
  chinaDate: (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10),
}));
vi.mock('@gongxin/ui', (original) =>
  import('./testing/filing-form').then((m) => m.withFilingStubs(original)),
);

const enterprise = { uscc: '91440300MA5DQ3LX0B', name: '深圳市鹏程电子科技有限公司' };

const render = (locale?: string) => mountFiling(DeregistrationForm, { enterprise }, locale);

async function pickCause(cause: string) {
  const option = document.body.querySelector<HTMLElement>(`[data-cause="${cause}"]`);
  expect(option, `option ${cause}`).not.toBeNull();
  option!.click();
  await settle();
}
const submit = (w: FilingWrapper) => press(w, 'dereg-submit');

describe('deregistration filing', () => {
  beforeEach(() => {
    sign.mockReset();
    sign.mockResolvedValue({ ok: true, id: TX, height: 5120, blockHash: 'ab', events: [] });
  });

  it('says what deregistration means, and signs nothing until cause, date and confirmation are right', async () => {
    const w = await render();
    await settle();
    expect(w.find('[data-test="dereg-consequence"]').text()).toBe(
      '核准后“深圳市鹏程电子科技有限公司”即告终止：登记状态变为注销，不能再申报变更、报送年报或发布供需信息，且不可撤回。',
    );
    expect((input(w, 'dereg-effective').element as HTMLInputElement).value).toBe('2027-03-14');
    await input(w, 'dereg-effective').setValue('2027-03-13');
    await submit(w);
    expect(sign).not.toHaveBeenCalled();
    expect(problem(w, 'dereg-cause')).toBe('请选择注销原因');
    expect(problem(w, 'dereg-effective')).toBe('生效日期不能早于今天（2027-03-14）');
    expect(problem(w, 'dereg-confirm')).toBe('请确认已知悉后果');
    expect(w.find('[data-test="dereg-error"]').text()).toContain('尚未签名');

    await pickCause('other');
    await submit(w);
    expect(problem(w, 'dereg-details')).toBe('选择“其他原因”时请写明原因');
    expect(sign).not.toHaveBeenCalled();
    w.unmount();
  });

  it('signs fileDeregistration with the cause in the register’s words and links the tx and block', async () => {
    const w = await render();
    await settle();
    await pickCause('resolution');
    await input(w, 'dereg-details').setValue('2027年第一次临时股东会决议，清算已完成');
    await input(w, 'dereg-effective').setValue('2027-03-31');
    await w.find('[data-test="dereg-confirm"] input').setValue(true);
    await submit(w);
    expect(sign).toHaveBeenCalledTimes(1);
    expect(sign.mock.calls[0]![0]).toEqual([
      {
        contract: 'registry',
        name: 'fileDeregistration',
        params: {
          uscc: enterprise.uscc,
          effectiveOn: '2027-03-31',
          reason: '决议解散：2027年第一次临时股东会决议，清算已完成',
        },
      },
    ]);
    const done = w.find('[data-test="dereg-done"]');
    expect(done.text()).toContain('注销申请已上链');
    expect(done.find('[data-test="tx-link"]').attributes('href')).toContain(TX);
    expect(done.find('[data-test="block-link"]').attributes('href')).toContain('5120');
    expect(w.emitted('filed')).toHaveLength(1);
    w.unmount();
  });

  it('shows the chain’s refusal by the form', async () => {
    sign.mockRejectedValueOnce(new Error('enterprise 91440300MA5DQ3LX0B is deregistered, not active'));
    const w = await render('en');
    await settle();
    await pickCause('term_expired');
    await w.find('[data-test="dereg-confirm"] input').setValue(true);
    await submit(w);
    expect(sign.mock.calls[0]![0][0].params.reason).toBe('经营期限届满');
    expect(w.find('[data-test="dereg-error"]').exists()).toBe(true);
    expect(w.find('[data-test="dereg-done"]').exists()).toBe(false);
    w.unmount();
  });
});

describe('checkDeregistration', () => {
  const t = (key: string) => key;
  it('keeps the reason within the chain’s 256 characters', () => {
    const long = '清'.repeat(260);
    const r = checkDeregistration(
      enterprise.uscc,
      { cause: 'court', details: long, effectiveOn: '2027-03-14', understood: true },
      '2027-03-14',
      t,
    );
    expect(r.params).toBeNull();
    expect(r.problems.details).toBe('reg.invalid.tooLong');
    for (const cause of DEREGISTRATION_CAUSE_KEYS) {
      const ok = checkDeregistration(
        enterprise.uscc,
        { cause, details: '详见决议', effectiveOn: '2027-03-14', understood: true },
        '2027-03-14',
        t,
      );
      expect(ok.params?.reason.length).toBeLessThanOrEqual(256);
    }
  });
});
