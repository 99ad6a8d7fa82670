// Evidence capture: an address that is not a web address is said in the page's language beside the field
// and never sent (the server's answer was an English field message at the top of the page); a mistyped
// evidence root says what a root looks like; a capture may name its work, and is found by that work's id.
import { createHash } from 'node:crypto';
import { createSuiteI18n } from '@gongxin/ui';
import { TRPCClientError } from '@trpc/client';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({
  capture: vi.fn(),
  get: vi.fn(),
  byWork: vi.fn(),
  byFile: vi.fn(),
  route: { query: {} as Record<string, string> },
}));

vi.mock('vue-router', async (original) => ({
  ...(await original<typeof import('vue-router')>()),
  useRoute: () => mocks.route,
}));

vi.mock('@gongxin/copyright-server/evidence/verify', () => ({ verifyEvidence: vi.fn() }));
vi.mock('./api', () => ({
  api: {
    evidence: {
      capture: { mutate: mocks.capture },
      get: { query: mocks.get },
      byWork: { query: mocks.byWork },
      byFile: { query: mocks.byFile },
    },
  },
  BASE: '/copyright',
  evidenceFile: vi.fn(),
}));
vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAuth: () => ({ me: { address: 'gx1author', roles: [{ app: 'copyright', role: 'author' }] } }),
    RequireLogin: defineComponent({
      setup:
        (_, { slots }) =>
        () =>
          slots.default?.(),
    }),
  };
});

const EvidenceView = (await import('./views/evidence-view.vue')).default;

beforeEach(() => {
  mocks.capture.mockReset().mockRejectedValue(new Error('not reached in these tests'));
  mocks.get.mockReset().mockRejectedValue(
    new TRPCClientError('root: no evidence', {
      result: { error: { data: { code: 'NOT_FOUND', httpStatus: 404 } } },
    } as never),
  );
  mocks.byWork.mockReset().mockResolvedValue([]);
  mocks.byFile.mockReset().mockResolvedValue([]);
  mocks.route = { query: {} };
});
afterEach(() => {
  document.body.innerHTML = '';
});

async function page(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  const wrapper = mount(EvidenceView, {
    global: {
      plugins: [i18n],
      stubs: { BlockLink: true, TxLink: true },
    },
  });
  await flushPromises();
  return wrapper;
}

const field = (w: Awaited<ReturnType<typeof page>>, id: string) =>
  w.get(`input[data-test="${id}"], [data-test="${id}"] input`);

describe('capturing a page as evidence', () => {
  it('says in words that an address is not a web address, and sends nothing', async () => {
    const w = await page();
    for (const typed of ['not a url', 'www.example.com/copied', 'ftp://example.com/a']) {
      await field(w, 'evidence-url').setValue(typed);
      await w.get('form').trigger('submit');
      await flushPromises();
      const problem = w.get('[data-test="evidence-url-problem"]').text();
      expect(problem).toContain('请输入完整的网址，以 http:// 或 https:// 开头');
    }
    expect(mocks.capture).not.toHaveBeenCalled();
    expect(w.find('[data-test="evidence-error"]').exists()).toBe(false);
  });

  it('sends a web address to be captured', async () => {
    const w = await page();
    await field(w, 'evidence-url').setValue('  https://example.com/copied  ');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(mocks.capture).toHaveBeenCalledWith({ url: 'https://example.com/copied' });
    expect(w.find('[data-test="evidence-url-problem"]').exists()).toBe(false);
  });

  it('says what an evidence root looks like when the typed one is not', async () => {
    const w = await page();
    expect(w.find('[data-test="evidence-root-problem"]').exists()).toBe(false);
    await field(w, 'evidence-root').setValue('zz');
    expect(w.get('[data-test="evidence-root-problem"]').text()).toBe(
      '证据根哈希或作品编号是 64 位十六进制字符（0–9、a–f；作品编号后可带 :序号），现在输入了 2 个字符。',
    );
    await field(w, 'evidence-root').setValue('ab'.repeat(32));
    expect(w.find('[data-test="evidence-root-problem"]').exists()).toBe(false);
    await field(w, 'evidence-root').setValue(`${'ab'.repeat(32)}:1`);
    expect(w.find('[data-test="evidence-root-problem"]').exists()).toBe(false);
  });

  it('finds the captures made for a work by its id when it is not a root', async () => {
    const WORK = 'a1'.repeat(32);
    mocks.byWork.mockResolvedValue([
      {
        root: 'c1'.repeat(32),
        url: 'https://a.example/1',
        capturedAt: '2026-12-06T10:00:00Z',
        workId: WORK,
        anchored: true,
      },
      {
        root: 'c2'.repeat(32),
        url: 'https://b.example/2',
        capturedAt: '2026-12-05T10:00:00Z',
        workId: WORK,
        anchored: false,
      },
    ]);
    const w = await page();
    await field(w, 'evidence-root').setValue(WORK.toUpperCase());
    await w.findAll('form')[1]!.trigger('submit');
    await flushPromises();
    expect(mocks.get).toHaveBeenCalledWith({ root: WORK });
    expect(mocks.byWork).toHaveBeenCalledWith({ workId: WORK });
    const rows = w.findAll('[data-test="evidence-capture-row"]');
    expect(rows.map((r) => r.text())).toEqual([
      expect.stringContaining('https://a.example/1'),
      expect.stringContaining('https://b.example/2'),
    ]);
    expect(rows[0]!.text()).toContain('已上链');
    expect(rows[1]!.text()).toContain('尚未上链');
    expect(w.find('[data-test="evidence-error"]').exists()).toBe(false);
  });

  it("looks up a work's captures at once when opened from the work's page", async () => {
    mocks.route = { query: { work: 'a1'.repeat(32) } };
    const w = await page();
    expect(mocks.byWork).toHaveBeenCalledWith({ workId: 'a1'.repeat(32) });
    expect(w.find('[data-test="evidence-not-found"]').exists()).toBe(true);
  });

  it('says in words when neither a root nor a work has evidence', async () => {
    const w = await page();
    await field(w, 'evidence-root').setValue('ab'.repeat(32));
    await w.findAll('form')[1]!.trigger('submit');
    await flushPromises();
    expect(w.get('[data-test="evidence-not-found"]').text()).toBe(
      '没有这个根哈希的证据，也没有为这件作品抓取的证据。',
    );
    expect(w.find('[data-test="evidence-error"]').exists()).toBe(false);
  });

  it('captures for a work when its id is given, and says when the id is not one', async () => {
    const w = await page();
    await field(w, 'evidence-url').setValue('https://example.com/copied');
    await field(w, 'evidence-work').setValue('not-a-work');
    expect(w.get('[data-test="evidence-work-problem"]').text()).toContain('作品编号是 64 位十六进制字符');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(mocks.capture).not.toHaveBeenCalled();
    await field(w, 'evidence-work').setValue('B2'.repeat(32));
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(mocks.capture).toHaveBeenCalledWith({
      url: 'https://example.com/copied',
      workId: 'b2'.repeat(32),
    });
  });
});

/** The server's refusal of a capture, as tRPC sends it: a code and a reason key with its parameters. */
const refusal = (code: string, key: string, params: Record<string, string>) =>
  new TRPCClientError(`capture refused: ${key}`, {
    result: { error: { data: { code, httpStatus: 422, reason: { key, params } } } },
  } as never);

describe('a capture that failed says why, in the page language', () => {
  const cases = [
    {
      error: refusal('UNPROCESSABLE_CONTENT', 'page_unreachable', {
        host: 'pirate.example:8080',
        cause: 'ERR_CONNECTION_REFUSED',
      }),
      zh: '无法连接到 pirate.example:8080（ERR_CONNECTION_REFUSED）：请检查网址是否正确、网站是否在线。',
      en: 'pirate.example:8080 could not be reached (ERR_CONNECTION_REFUSED).',
    },
    {
      error: refusal('BAD_REQUEST', 'url_scheme', { scheme: 'ftp:' }),
      zh: '只能对 http 和 https 网页取证，不能是 ftp:。',
      en: 'Only http and https pages can be captured, not ftp:.',
    },
    {
      error: refusal('UNPROCESSABLE_CONTENT', 'page_timeout', { host: 'slow.example', seconds: '30' }),
      zh: 'slow.example 在 30 秒内没有返回网页，取证超时，请稍后再试。',
      en: 'slow.example did not send the page within 30 s: the capture timed out.',
    },
    {
      error: refusal('UNPROCESSABLE_CONTENT', 'page_http_status', { status: '403', statusText: 'Forbidden' }),
      zh: '网站拒绝了请求（HTTP 403 Forbidden），没有可取证的网页',
      en: 'The site refused the request (HTTP 403 Forbidden): there is no page to capture.',
    },
    {
      error: refusal('UNPROCESSABLE_CONTENT', 'page_too_large', { size: '40.5 MB', limit: '32 MB' }),
      zh: '网页太大（40.5 MB），超过取证上限 32 MB，未取证。',
      en: 'The page is too large to capture (40.5 MB; at most 32 MB).',
    },
  ];

  for (const { error, zh, en: english } of cases) {
    it(`${error.message}: in Chinese and in English`, async () => {
      for (const [locale, words] of [
        ['zh-CN', zh],
        ['en', english],
      ] as const) {
        mocks.capture.mockReset().mockRejectedValue(error);
        const w = await page(locale);
        await field(w, 'evidence-url').setValue('https://pirate.example/copied');
        await w.get('form').trigger('submit');
        await flushPromises();
        expect(mocks.capture).toHaveBeenCalledTimes(1);
        expect(w.get('[data-test="evidence-error"]').text()).toContain(words);
        w.unmount();
      }
    });
  }
});

describe('finding evidence by a file one holds', () => {
  const bytes = new TextEncoder().encode('<!doctype html><p>黄山日出（摄影），未经授权转载。</p>');
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  async function pick(w: Awaited<ReturnType<typeof page>>) {
    const input = w.get<HTMLInputElement>('input[data-test="evidence-by-file"]');
    Object.defineProperty(input.element, 'files', {
      value: [new File([bytes], 'copied.html', { type: 'text/html' })],
      configurable: true,
    });
    await input.trigger('change');
    await vi.waitFor(async () => {
      await flushPromises();
      expect(mocks.byFile).toHaveBeenCalled();
    });
    await flushPromises();
  }

  it("sends only the file's SHA-256, and lists the captures that hold it", async () => {
    mocks.byFile.mockResolvedValue([
      {
        root: 'c1'.repeat(32),
        url: 'https://pirate.example/photo',
        capturedAt: '2026-12-06T10:00:00Z',
        workId: null,
        anchored: true,
        files: ['response.body'],
      },
      {
        root: 'c2'.repeat(32),
        url: 'https://other.example/photo',
        capturedAt: '2026-12-05T10:00:00Z',
        workId: 'a1'.repeat(32),
        anchored: false,
        files: [],
      },
    ]);
    const w = await page();
    await pick(w);
    expect(mocks.byFile).toHaveBeenCalledWith({ sha256 });
    expect(w.get('[data-test="evidence-for-file"]').text()).toContain('包含“copied.html”的证据（2 份）');
    const rows = w.findAll('[data-test="evidence-file-row"]');
    expect(rows.map((r) => r.get('[data-test="evidence-file-match"]').text())).toEqual([
      '证据中的 response.body 与您的文件相同',
      '为登记了此文件的作品抓取',
    ]);
    expect(rows[0]!.text()).toContain('https://pirate.example/photo');
    expect(rows[0]!.find('[data-test="evidence-open-file-capture"]').exists()).toBe(true);
    expect(rows[1]!.text()).toContain('尚未上链');
    expect(w.find('[data-test="evidence-error"]').exists()).toBe(false);
  });

  it('says in words when no evidence holds the file', async () => {
    const w = await page();
    await pick(w);
    expect(w.get('[data-test="evidence-file-not-found"]').text()).toBe(
      `没有包含“copied.html”的证据，也没有为登记了它的作品抓取的证据（SHA-256 ${sha256}）。`,
    );
  });
});
