// The capture form: a packing (AggregationEvent) and a processing step (TransformationEvent) as well as an
// ObjectEvent are submitted and their anchors signed; a mistyped quantity is shown in the page language
// and nothing is sent. The location fields offer the registered locations and name the place typed; a
// capture is not called pending while its sign dialog is open. The documents themselves are checked against the EPCIS schema in
// capture-documents.test.ts.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { forgetDeploymentClock, jsonResponse, serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({
  mutate: vi.fn(),
  sign: vi.fn(),
  discard: vi.fn(),
  locations: vi.fn(),
}));

vi.mock('./api', () => ({
  api: {
    capture: { submit: { mutate: mocks.mutate }, discard: { mutate: mocks.discard } },
    masterData: { locations: { query: mocks.locations } },
  },
}));
vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAppSigner: () => ({ sign: mocks.sign, signAll: mocks.sign }),
    RequireLogin: defineComponent({
      props: ['app'],
      setup:
        (_, { slots }) =>
        () =>
          slots.default?.(),
    }),
  };
});

const CaptureView = (await import('./views/capture-view.vue')).default;

const lot = (gtin: string, l: string) => `https://id.gs1.org/01/${gtin}/10/${l}`;
const LOIN = '06902235004010';
const PIG = '06902235001019';
const SSCC = 'https://id.gs1.org/00/069022350000000012';
const pack = (serial: string) => `https://id.gs1.org/01/${LOIN}/21/${serial}`;

function eventOf(document: Record<string, unknown>): Record<string, unknown> {
  return (document.epcisBody as { eventList: Record<string, unknown>[] }).eventList[0]!;
}

function mountView(locale: 'en' | 'zh-CN' = 'en') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: CaptureView },
      { path: '/lot', component: CaptureView },
    ],
  });
  return mount(CaptureView, {
    global: { plugins: [appIdPlugin('food'), i18n, router] },
    attachTo: document.body,
  });
}

const DAY = 86_400_000;

beforeEach(() => {
  serveDeploymentClock(0);
  mocks.mutate.mockReset();
  mocks.sign.mockReset();
  mocks.discard.mockReset();
  mocks.locations.mockReset();
  mocks.locations.mockResolvedValue([
    { gln: '6901234000016', name: '绿源合作社 崇明基地', by: 'gx1coop' },
    { gln: '6906234000011', name: '惠民超市 人民广场店', by: 'gx1shop' },
  ]);
  mocks.discard.mockResolvedValue({ discarded: 1 });
  mocks.mutate.mockResolvedValue({
    captureId: '7d0f3f8e-2a51-4c55-9d5e-6f1f1f1f1f1f',
    events: [{ hash: 'a'.repeat(64) }],
    anchor: { by: 'browser', actions: [{ contract: 'food', name: 'anchorEvent', params: {} }] },
  });
  mocks.sign.mockResolvedValue([]);
});

afterEach(() => vi.unstubAllGlobals());

describe('the capture form', () => {
  it('submits a packing (AggregationEvent) and signs its anchor', async () => {
    const wrapper = mountView();
    await wrapper.find('[data-test="type-aggregation"] input').setValue(true);
    await wrapper.find('input[data-test="parent"]').setValue(SSCC);
    await wrapper.find('textarea[data-test="children"]').setValue(`${pack('L0001')}\n${pack('L0002')}`);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(mocks.mutate).toHaveBeenCalledTimes(1);
    const { document } = mocks.mutate.mock.calls[0]![0] as { document: Record<string, unknown> };
    expect(eventOf(document)).toMatchObject({
      type: 'AggregationEvent',
      action: 'ADD',
      bizStep: 'packing',
      parentID: SSCC,
      childEPCs: [pack('L0001'), pack('L0002')],
    });
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-test="capture-done"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('submits a processing step (TransformationEvent)', async () => {
    const wrapper = mountView();
    await wrapper.find('[data-test="type-transformation"] input').setValue(true);
    await wrapper
      .find('textarea[data-test="inputs"]')
      .setValue(`${lot(PIG, 'PIG-A01')} 95\n${lot(PIG, 'PIG-A02')} 102`);
    await wrapper.find('textarea[data-test="outputs"]').setValue(`${lot(LOIN, 'LOIN-2611-07')} 150`);
    await wrapper.find('input[data-test="output-lot"]').setValue('LOIN-2611-07');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const { document } = mocks.mutate.mock.calls[0]![0] as { document: Record<string, unknown> };
    expect(eventOf(document)).toMatchObject({
      type: 'TransformationEvent',
      bizStep: 'repackaging',
      inputQuantityList: [
        { epcClass: lot(PIG, 'PIG-A01'), quantity: 95, uom: 'KGM' },
        { epcClass: lot(PIG, 'PIG-A02'), quantity: 102, uom: 'KGM' },
      ],
      outputQuantityList: [{ epcClass: lot(LOIN, 'LOIN-2611-07'), quantity: 150, uom: 'KGM' }],
      ilmd: { 'cbvmda:lotNumber': 'LOIN-2611-07' },
    });
    wrapper.unmount();
  });

  it('shows what is wrong in the form, in the page language, and sends nothing', async () => {
    const wrapper = mountView('zh-CN');
    await wrapper.find('[data-test="type-transformation"] input').setValue(true);
    await wrapper
      .find('textarea[data-test="inputs"]')
      .setValue(`${lot(PIG, 'PIG-A01')} 95\n${lot(PIG, 'PIG-A02')} 9.5`);
    await wrapper.find('textarea[data-test="outputs"]').setValue(`${lot(LOIN, 'LOIN-2611-07')} 150`);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(mocks.mutate).not.toHaveBeenCalled();
    expect(wrapper.find('[data-test="capture-error"]').text()).toContain('第 2 行：批次需要正整数数量');
    wrapper.unmount();
  });

  it('still builds an ObjectEvent by default', async () => {
    const wrapper = mountView();
    const epc = wrapper.findAll('input').find((i) => i.attributes('placeholder')?.includes('/10/LOT-1'))!;
    await epc.setValue(lot(LOIN, 'LOIN-2611-07'));
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const { document } = mocks.mutate.mock.calls[0]![0] as { document: Record<string, unknown> };
    expect(eventOf(document)).toMatchObject({ type: 'ObjectEvent', bizStep: 'shipping' });
    wrapper.unmount();
  });

  it('links a signed capture to its block, its tx and the trace of the lot it names', async () => {
    mocks.sign.mockResolvedValue([{ id: 'c'.repeat(64), height: 4321, blockHash: 'd'.repeat(64), ok: true }]);
    const wrapper = mountView('zh-CN');
    const epc = wrapper.findAll('input').find((i) => i.attributes('placeholder')?.includes('/10/LOT-1'))!;
    await epc.setValue(lot(LOIN, 'LOIN-2611-07'));
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const done = wrapper.get('[data-test="capture-done"]');
    expect(done.get('[data-test="capture-anchors"]').text()).toContain('上链于区块');
    expect(done.get('[data-test="tx-link"]').attributes('href')).toContain('c'.repeat(64));
    expect(done.get('[data-test="capture-anchors"]').text()).toContain('4321');
    const trace = done.get('[data-test="capture-lots"] a');
    expect(trace.text()).toBe('查看批次 LOIN-2611-07 的追溯');
    expect(decodeURIComponent(trace.attributes('href')!)).toContain(`/lot?epc=${lot(LOIN, 'LOIN-2611-07')}`);
    wrapper.unmount();
  });

  it('names a mistyped identifier as the person types it, before anything is sent or signed', async () => {
    const wrapper = mountView('zh-CN');
    const epc = wrapper.findAll('input').find((i) => i.attributes('placeholder')?.includes('/10/LOT-1'))!;
    // The check digit of 0690223500401x is 0.
    await epc.setValue('https://id.gs1.org/01/06902235004011/10/LOIN-2611-07');
    await flushPromises();
    const problem = wrapper.find('[data-test="form-problem"]');
    expect(problem.text()).toContain('标识：');
    expect(problem.text()).toContain('GTIN 06902235004011 的校验位应为 0');
    expect(wrapper.find('[data-test="submit-form"]').attributes('disabled')).toBeDefined();
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(mocks.mutate).not.toHaveBeenCalled();
    expect(mocks.sign).not.toHaveBeenCalled();
    await epc.setValue('https://id.gs1.org/01/06902235004010/10/LOIN-2611-07');
    await flushPromises();
    expect(wrapper.find('[data-test="form-problem"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('keeps a capture whose signature was cancelled as pending, never as done; it can be signed or discarded', async () => {
    const { KeyringError } = await import('@gongxin/ui');
    mocks.sign.mockRejectedValueOnce(new KeyringError('cancelled', 'the person cancelled signing'));
    const wrapper = mountView('zh-CN');
    const epc = wrapper.findAll('input').find((i) => i.attributes('placeholder')?.includes('/10/LOT-1'))!;
    await epc.setValue(lot(LOIN, 'LOIN-2611-07'));
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    // Not "captured" and "cancelled" at once: pending, with what to do about it.
    expect(wrapper.find('[data-test="capture-done"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="capture-pending"]').text()).toContain('尚未上链');
    expect(wrapper.find('[data-test="capture-error"]').text()).toContain('已取消签名');
    // Signed later: done.
    await wrapper.find('[data-test="pending-sign"]').trigger('click');
    await flushPromises();
    expect(mocks.sign).toHaveBeenCalledTimes(2);
    expect(wrapper.find('[data-test="capture-pending"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="capture-done"]').exists()).toBe(true);
    // Or discarded.
    mocks.sign.mockRejectedValueOnce(new KeyringError('cancelled', 'the person cancelled signing'));
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await wrapper.find('[data-test="pending-discard"]').trigger('click');
    await flushPromises();
    expect(mocks.discard).toHaveBeenCalledWith({ captureId: '7d0f3f8e-2a51-4c55-9d5e-6f1f1f1f1f1f' });
    expect(wrapper.find('[data-test="capture-pending"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("dates an event left without a time on the deployment clock, not the device's", async () => {
    // The chain's clock ten days behind this device's (a rehearsal, or a phone set ten days ahead).
    serveDeploymentClock(-10 * DAY);
    const wrapper = mountView();
    const epc = wrapper.findAll('input').find((i) => i.attributes('placeholder')?.includes('/10/LOT-1'))!;
    await epc.setValue(lot(LOIN, 'LOIN-2611-07'));
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const { document } = mocks.mutate.mock.calls[0]![0] as { document: Record<string, unknown> };
    for (const time of [eventOf(document).eventTime, document.creationDate]) {
      expect(Math.abs(Date.parse(String(time)) - (Date.now() - 10 * DAY))).toBeLessThan(60_000);
    }
    wrapper.unmount();
  });

  it("says so and sends nothing when the server's clock cannot be read", async () => {
    forgetDeploymentClock();
    vi.stubGlobal('fetch', async () => jsonResponse({ error: 'unavailable' }, 503));
    const wrapper = mountView('zh-CN');
    const epc = wrapper.findAll('input').find((i) => i.attributes('placeholder')?.includes('/10/LOT-1'))!;
    await epc.setValue(lot(LOIN, 'LOIN-2611-07'));
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(mocks.mutate).not.toHaveBeenCalled();
    expect(wrapper.find('[data-test="capture-error"]').text()).toContain('暂时读不到服务器时间');
    wrapper.unmount();
  });

  it('offers the registered locations in the location field and names the place a GLN stands for', async () => {
    const wrapper = mountView('zh-CN');
    await flushPromises();
    const gln = wrapper.find('input[data-test="gln"]');
    expect(gln.attributes('list')).toBe('fd-places');
    const options = wrapper.findAll('[data-test="places"] option');
    expect(options.map((o) => [o.attributes('value'), o.text()])).toEqual([
      ['6901234000016', '绿源合作社 崇明基地'],
      ['6906234000011', '惠民超市 人民广场店'],
    ]);
    expect(wrapper.find('[data-test="gln-place"]').exists()).toBe(false);
    await gln.setValue('6906234000011');
    expect(wrapper.find('[data-test="gln-place"]').text()).toBe('惠民超市 人民广场店');
    // A GLN nobody registered is taken as typed, without a name.
    await gln.setValue('6906234000028');
    expect(wrapper.find('[data-test="gln-place"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('does not call a capture pending while its sign dialog is open', async () => {
    let finish: (value: unknown) => void = () => undefined;
    mocks.sign.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
    const wrapper = mountView('zh-CN');
    const epc = wrapper.findAll('input').find((i) => i.attributes('placeholder')?.includes('/10/LOT-1'))!;
    await epc.setValue(lot(LOIN, 'LOIN-2611-07'));
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-test="capture-pending"]').exists()).toBe(false);
    finish([]);
    await flushPromises();
    expect(wrapper.find('[data-test="capture-pending"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="capture-done"]').exists()).toBe(true);
    wrapper.unmount();
  });
});
