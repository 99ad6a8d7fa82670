// The public verify page a certificate's QR code opens: it claims no more than it checked (a registration
// whose files the register does not hold is verified on chain, its files are not), a mistyped or unknown
// work id is said in a sentence rather than the API's field message, opening another work on the same
// page loads that work, and the licences granted on the work are listed (or said to be none).
import { createSuiteI18n } from '@gongxin/ui';
import { TRPCClientError } from '@trpc/client';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reactive } from 'vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({
  get: vi.fn(),
  prove: vi.fn(),
  check: vi.fn(),
  content: vi.fn(),
  route: { params: { id: '' } },
}));

vi.mock('./api', () => ({
  api: { works: { get: { query: mocks.get } } },
  certificateUrl: (id: string) => `/copyright/api/works/${id}/certificate.pdf`,
  fileContent: mocks.content,
}));
vi.mock('./verify', () => ({ proveRegistration: mocks.prove, checkFile: mocks.check }));
vi.mock('./codes', () => ({ mediaTypeOf: () => 'text/plain' }));
vi.mock('vue-router', async (original) => ({
  ...(await original<typeof import('vue-router')>()),
  useRoute: () => mocks.route,
}));

const VerifyView = (await import('./views/verify-view.vue')).default;
const A = 'a1'.repeat(32);
const B = 'b2'.repeat(32);
const HASH = 'cd'.repeat(32);

const work = (id: string, title: string) => ({
  work: {
    id,
    title,
    category: 'text',
    status: 'registered',
    owners: [],
    height: 7,
    txId: id,
    time: 0,
    regNo: null,
  },
  licences: [],
  listings: [],
  similar: [],
});

beforeEach(() => {
  mocks.route = reactive({ params: { id: A } });
  mocks.get
    .mockReset()
    .mockImplementation(async ({ id }: { id: string }) => work(id, id === A ? '春' : '秋'));
  mocks.prove.mockReset().mockResolvedValue({
    proof: { status: 'verified', height: 7 },
    title: '春',
    files: [{ hash: HASH, codes: [], tool: 't', mediaType: 'text/plain' }],
  });
  mocks.content.mockReset().mockResolvedValue(null);
  mocks.check.mockReset();
});
afterEach(() => {
  document.body.innerHTML = '';
});

async function page() {
  const wrapper = mount(VerifyView, {
    global: {
      plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })],
      stubs: { RouterLink: true, BlockLink: true, TxLink: true, AddressText: true },
    },
  });
  await flushPromises();
  return wrapper;
}

describe('the public verify page', () => {
  it('does not claim the files were checked when the register holds no original of them', async () => {
    const wrapper = await page();
    expect(wrapper.get('[data-test="verify"]').attributes('data-verified')).toBe('true');
    const summary = wrapper.get('[data-test="verify-summary"]');
    expect(summary.text()).toContain('文件尚未核对');
    expect(summary.text()).not.toContain('文件哈希与内容码与链上记录一致');
    expect(summary.attributes('data-files')).toBe('0');
  });

  it('claims nothing while the files are still being checked', async () => {
    mocks.content.mockReturnValue(new Promise(() => undefined));
    const wrapper = await page();
    expect(wrapper.find('[data-test="verifying"]').exists()).toBe(true);
    expect(wrapper.get('[data-test="verify"]').attributes('data-verified')).toBeUndefined();
    expect(wrapper.find('[data-test="verify-summary"]').exists()).toBe(false);
    expect(wrapper.text()).not.toContain('验证未通过');
  });

  it('says the files match once it has checked them', async () => {
    mocks.content.mockResolvedValue(new Uint8Array([1]));
    mocks.check.mockResolvedValue({ hash: HASH, hashOk: true, actualHash: HASH, content: null });
    const wrapper = await page();
    const summary = wrapper.get('[data-test="verify-summary"]');
    expect(summary.text()).toContain('文件哈希与内容码与链上记录一致');
    expect(summary.attributes('data-files')).toBe('1');
  });

  it('says a mistyped work id is not one, without asking the server', async () => {
    mocks.route = reactive({ params: { id: 'deadbeef' } });
    const wrapper = await page();
    const text = wrapper.get('[data-test="verify-error"]').text();
    expect(text).toContain('这不是有效的作品编号');
    expect(text).not.toContain('a work id is');
    expect(mocks.get).not.toHaveBeenCalled();
  });

  it('says the register has no such work when the id is unknown', async () => {
    mocks.get.mockRejectedValue(
      new TRPCClientError(`no work ${A}`, {
        result: { error: { data: { code: 'NOT_FOUND', httpStatus: 404 } } },
      } as never),
    );
    const wrapper = await page();
    const text = wrapper.get('[data-test="verify-error"]').text();
    expect(text).toContain('登记簿中没有这个编号的作品');
    expect(text).not.toContain('no work');
  });

  it("lists the work's licences: who, which rights, where, how long, in force or not, and their tx", async () => {
    const DAY = 86_400_000;
    const licence = (id: string, extra: Record<string, unknown>) => ({
      id,
      workId: A,
      licensee: 'gx1xinghe',
      licenseeName: '星河数字出版有限公司',
      licensors: ['gx1wang'],
      grant: { rights: ['network'], territory: ['CN'], from: Date.now() - 30 * DAY },
      exclusivity: 'non-exclusive',
      prohibitions: [],
      duties: [],
      cc: null,
      listingId: null,
      status: 'active',
      height: 12,
      txId: 'e5'.repeat(32),
      time: Date.now() - 30 * DAY,
      ...extra,
    });
    mocks.get.mockResolvedValue({
      ...work(A, '春'),
      licences: [
        licence('l1', {}),
        licence('l2', {
          licensee: '*',
          licenseeName: null,
          cc: 'CC-BY-4.0',
          grant: { rights: ['reproduction'], territory: ['*', '!US'], from: 0, until: Date.now() - DAY },
          height: 9,
          txId: 'f6'.repeat(32),
        }),
      ],
    });
    const wrapper = await page();
    const rows = wrapper.findAll('[data-test="licence"]');
    expect(rows).toHaveLength(2);
    const first = rows[0]!;
    expect(first.get('[data-test="licensee"]').text()).toContain('星河数字出版有限公司');
    expect(first.get('[data-test="licence-status"]').text()).toBe('有效');
    expect(first.text()).toContain('信息网络传播权');
    expect(first.text()).toContain('CN');
    expect(first.get('[data-test="licence-period"]').text()).toContain('不限期');
    expect(first.find('tx-link-stub').attributes('id')).toBe('e5'.repeat(32));
    expect(first.find('block-link-stub').attributes('height')).toBe('12');
    const second = rows[1]!;
    expect(second.get('[data-test="licensee"]').text()).toBe('任何人（公共许可） · CC-BY-4.0');
    expect(second.get('[data-test="licence-status"]').text()).toBe('已到期');
    expect(second.text()).toContain('全球（US 除外）');
    expect(second.find('tx-link-stub').attributes('id')).toBe('f6'.repeat(32));
    expect(wrapper.find('[data-test="licences-none"]').exists()).toBe(false);
  });

  it('says in words that a work has no licences', async () => {
    const wrapper = await page();
    expect(wrapper.get('[data-test="licences-none"]').text()).toContain('这件作品尚无任何授权许可');
    expect(wrapper.findAll('[data-test="licence"]')).toHaveLength(0);
  });

  it('loads the other work when the same page is opened for it', async () => {
    const wrapper = await page();
    expect(wrapper.get('[data-test="work-title"]').text()).toBe('春');
    mocks.route.params.id = B;
    await flushPromises();
    expect(mocks.get).toHaveBeenLastCalledWith({ id: B });
    expect(wrapper.get('[data-test="work-title"]').text()).toBe('秋');
  });
});
