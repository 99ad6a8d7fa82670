// Registering a location: the GLN check digit and the coordinates are checked as typed, coordinates go on
// chain as integer millionths of a degree (no floating point on the way), and the contract action is
// signed in the person's keyring.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { degreesE6 } from './gs1';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({ sign: vi.fn(), products: vi.fn(), locations: vi.fn(), orgs: vi.fn() }));

vi.mock('./api', () => ({
  api: {
    masterData: {
      products: { query: mocks.products },
      locations: { query: mocks.locations },
      organisations: { query: mocks.orgs },
    },
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

const MasterDataView = (await import('./views/master-data-view.vue')).default;

function mountView() {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = 'en';
  return mount(MasterDataView, { global: { plugins: [i18n] }, attachTo: document.body });
}

beforeEach(() => {
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.products.mockResolvedValue([]);
  mocks.locations.mockResolvedValue([]);
  mocks.orgs.mockResolvedValue([]);
  mocks.sign.mockResolvedValue([]);
});

describe('degrees to millionths', () => {
  it('converts exactly, and refuses what is not degrees within the limit', () => {
    expect(degreesE6('30.274085', 90)).toBe(30_274_085);
    expect(degreesE6('-0.5', 90)).toBe(-500_000);
    expect(degreesE6('120', 180)).toBe(120_000_000);
    expect(degreesE6(' 90 ', 90)).toBe(90_000_000);
    expect(degreesE6('-0', 90)).toBe(0);
    for (const bad of ['', '90.000001', '1e3', '30.1234567', 'abc', '--1', '1.'])
      expect(degreesE6(bad, 90)).toBeUndefined();
  });
});

describe('the location form', () => {
  it('signs registerLocation with the GLN, the name and integer coordinates', async () => {
    const wrapper = mountView();
    await flushPromises();
    await wrapper.get('input[data-test="gln"]').setValue('6901234000016');
    await wrapper.get('input[data-test="location-name"]').setValue(' 西湖龙井茶园 ');
    await wrapper.get('input[data-test="lat"]').setValue('30.2363');
    await wrapper.get('input[data-test="lon"]').setValue('120.1127');
    await wrapper.get('[data-test="location-form"]').trigger('submit');
    await flushPromises();
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    expect(mocks.sign.mock.calls[0]![0]).toEqual([
      {
        contract: 'food',
        name: 'registerLocation',
        params: { gln: '6901234000016', name: '西湖龙井茶园', lat: 30_236_300, lon: 120_112_700 },
      },
    ]);
    expect(mocks.locations).toHaveBeenCalledTimes(2);
    wrapper.unmount();
  });

  it('keeps the button disabled for a wrong check digit or half a coordinate pair', async () => {
    const wrapper = mountView();
    await flushPromises();
    const button = () => wrapper.get('[data-test="location-submit"]');
    await wrapper.get('input[data-test="location-name"]').setValue('Cold store');
    await wrapper.get('input[data-test="gln"]').setValue('6901234000012');
    expect(button().attributes('disabled')).toBeDefined();
    await wrapper.get('input[data-test="gln"]').setValue('6901234000016');
    expect(button().attributes('disabled')).toBeUndefined();
    await wrapper.get('input[data-test="lat"]').setValue('30.2');
    expect(button().attributes('disabled')).toBeDefined();
    await wrapper.get('input[data-test="lon"]').setValue('200');
    expect(button().attributes('disabled')).toBeDefined();
    await wrapper.get('input[data-test="lon"]').setValue('120');
    expect(button().attributes('disabled')).toBeUndefined();
    await wrapper.get('[data-test="location-form"]').trigger('submit');
    await flushPromises();
    expect(mocks.sign.mock.calls[0]![0][0].params).toEqual({
      gln: '6901234000016',
      name: 'Cold store',
      lat: 30_200_000,
      lon: 120_000_000,
    });
    wrapper.unmount();
  });
});
