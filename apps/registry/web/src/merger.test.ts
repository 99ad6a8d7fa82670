// The merger filing from an enterprise's page: the other parties found by USCC or name, the survivor
// chosen among them, and in one tx the deregistration (with the survivor as successor) of every
// dissolving enterprise the signer represents; one represented by someone else is named as theirs to file,
// and when the signer represents none of the dissolving ones nothing is signed.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import MergerForm from './components/merger-form.vue';
import { checkMerger } from './merger';
import { type FilingWrapper, input, mountFiling, press, problem, settle, sign } from './testing/filing-form';

const REP = 'gx17h7pvts9cvtzmxj29qy8evyuvlzkggs6ux2wgg';
const OTHER_REP = 'gx1jl3q3emq25em5aqz5nmqdtvqp4fxx253xlkatz';
const TX = 'c0ffee'.repeat(10) + 'beef';
const search = vi.fn();
vi.mock('./api', () => ({
  api: { enterprises: { search: { query: (q: unknown) => search(q) } } },
  chinaDate: (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10),
}));
vi.mock('@gongxin/ui', (original) =>
  import('./testing/filing-form').then((m) => m.withFilingStubs(original)),
);

const self = {
  uscc: '91440300MA5DQ3LX0B',
  name: '深圳市鹏程电子科技有限公司',
  representative: REP,
  life: 'active',
};
const sibling = {
  uscc: '91440300758921HK21',
  name: '深圳市鹏程智能制造有限公司',
  representative: REP,
  life: 'active',
};
const stranger = {
  uscc: '91441900324238A8PY',
  name: '东莞市绿源新能源有限公司',
  representative: OTHER_REP,
  life: 'active',
};

const render = (locale?: string) => mountFiling(MergerForm, { enterprise: self }, locale);

async function addParty(w: FilingWrapper, q: string, uscc: string) {
  await input(w, 'merge-query').setValue(q);
  await press(w, 'merge-search');
  await w.find(`[data-test="merge-found"] [data-uscc="${uscc}"] [data-test="merge-add"]`).trigger('click');
  await settle();
}
async function pickSurvivor(w: FilingWrapper, uscc: string) {
  await w.find(`[data-test="merge-parties"] [data-uscc="${uscc}"] input`).setValue(true);
  await settle();
}
async function confirmAndSubmit(w: FilingWrapper) {
  await w.find('[data-test="merge-confirm"] input').setValue(true);
  await press(w, 'merge-submit');
}

describe('merger filing', () => {
  beforeEach(() => {
    sign.mockReset();
    sign.mockResolvedValue({ ok: true, id: TX, height: 6001, blockHash: 'ab', events: [] });
    search.mockReset();
    search.mockImplementation(async ({ q }: { q: string }) =>
      [self, sibling, stranger].filter((e) => e.name.includes(q) || e.uscc.startsWith(q)),
    );
  });

  it('signs nothing without another party, a survivor and the confirmation', async () => {
    const w = await render();
    await settle();
    await press(w, 'merge-submit');
    expect(sign).not.toHaveBeenCalled();
    expect(problem(w, 'merge-others')).toBe('请至少加入一家参与合并的企业');
    expect(problem(w, 'merge-survivor')).toBe('请选择存续企业');
    expect(problem(w, 'merge-confirm')).toBe('请确认已知悉后果');
    w.unmount();
  });

  it('finds the other party by name, active only and not itself, and files this enterprise into it', async () => {
    const w = await render();
    await settle();
    await addParty(w, '绿源', stranger.uscc);
    expect(search).toHaveBeenCalledWith({ q: '绿源', life: 'active', limit: 10 });
    await pickSurvivor(w, stranger.uscc);
    expect(w.find('[data-test="merge-consequence"]').text()).toBe(
      '核准后，除“东莞市绿源新能源有限公司”外的各方即告注销，并入存续企业，不可撤回。',
    );
    await input(w, 'merge-details').setValue('2027年3月1日签订的合并协议');
    await confirmAndSubmit(w);
    expect(sign).toHaveBeenCalledTimes(1);
    expect(sign.mock.calls[0]![0]).toEqual([
      {
        contract: 'registry',
        name: 'fileDeregistration',
        params: {
          uscc: self.uscc,
          effectiveOn: '2027-03-14',
          reason: `吸收合并，存续企业：东莞市绿源新能源有限公司（${stranger.uscc}）；2027年3月1日签订的合并协议`,
          successor: stranger.uscc,
        },
      },
    ]);
    const done = w.find('[data-test="merge-done"]');
    expect(done.text()).toContain('合并申请已上链（1 家企业注销）');
    expect(done.find('[data-test="tx-link"]').attributes('href')).toContain(TX);
    expect(done.find('[data-test="block-link"]').attributes('href')).toContain('6001');
    expect(w.emitted('filed')).toHaveLength(1);
    w.unmount();
  });

  it('absorbs what the signer represents in one tx and names what another representative must file', async () => {
    const w = await render();
    await settle();
    await addParty(w, '91440300758921', sibling.uscc);
    // Searching again does not offer a party already in.
    await input(w, 'merge-query').setValue('深圳市鹏程');
    await press(w, 'merge-search');
    expect(w.findAll('[data-test="merge-found"] [data-uscc]')).toHaveLength(0);
    await addParty(w, '东莞', stranger.uscc);
    await pickSurvivor(w, self.uscc);
    expect(w.find('[data-test="merge-theirs"]').text()).toBe(
      '“东莞市绿源新能源有限公司”的合并注销须由其法定代表人在该企业页面另行申报。',
    );
    await confirmAndSubmit(w);
    expect(sign).toHaveBeenCalledTimes(1);
    const actions = sign.mock.calls[0]![0];
    expect(actions.map((a: { params: { uscc: string; successor: string } }) => a.params)).toEqual([
      expect.objectContaining({ uscc: sibling.uscc, successor: self.uscc }),
    ]);
    w.unmount();
  });

  it('signs nothing when the signer represents none of the dissolving enterprises', async () => {
    const w = await render('en');
    await settle();
    await addParty(w, '绿源', stranger.uscc);
    await pickSurvivor(w, self.uscc);
    await confirmAndSubmit(w);
    expect(sign).not.toHaveBeenCalled();
    expect(problem(w, 'merge-survivor')).toContain('You represent none of the absorbed enterprises');
    w.unmount();
  });
});

describe('checkMerger', () => {
  const t = (key: string) => key;
  const form = { survivor: self.uscc, effectiveOn: '2027-03-14', details: '', understood: true };
  it('refuses an ended party, a party twice and a date before today', () => {
    expect(
      checkMerger(self, { ...form, others: [{ ...sibling, life: 'deregistered' }] }, '2027-03-14', t).problems
        .others,
    ).toBe('reg.merge.notActive');
    expect(checkMerger(self, { ...form, others: [sibling, sibling] }, '2027-03-14', t).problems.others).toBe(
      'reg.merge.twice',
    );
    expect(
      checkMerger(self, { ...form, others: [sibling], effectiveOn: '2027-03-13' }, '2027-03-14', t).problems
        .effectiveOn,
    ).toBe('reg.dereg.beforeToday');
  });
});
