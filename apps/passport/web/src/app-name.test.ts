import { createSuiteI18n } from '@gongxin/ui';
import { describe, expect, it } from 'vitest';
import { appName } from './app-name';

describe('appName', () => {
  const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
  const t = (key: string, named?: Record<string, unknown>) => i18n.global.t(key, named ?? {});
  it("names a suite app in the page's language, a third-party client by its registered name", () => {
    expect(appName('wallet', { fallback: 'wallet-client' }, t)).toBe('钱包');
    expect(appName('c-3f9a', { registered: '社区食堂' }, t)).toBe('社区食堂');
  });
  it("never lends a suite app's name to a third-party client that chose its id", () => {
    expect(appName('wallet', { registered: '某第三方钱包' }, t)).toBe('某第三方钱包');
  });
  it('falls back to what else is known, then to the id', () => {
    expect(appName('x-app', { fallback: '新应用' }, t)).toBe('新应用');
    expect(appName('x-app', {}, t)).toBe('x-app');
  });
});
