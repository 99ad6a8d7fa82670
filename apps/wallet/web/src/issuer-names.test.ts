import { createSuiteI18n, type Translate } from '@gongxin/ui';
import { describe, expect, it } from 'vitest';
import { nameFromIdentity, readIdentity } from './issuer-names';
import en from './locales/en';
import zhCN from './locales/zh-CN';

function translator(locale: 'zh-CN' | 'en'): Translate {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  return (key, named) => i18n.global.t(key, named ?? {});
}

describe('an issuer named as the chain names it', () => {
  const none = { authority: null, account: null, roles: [] };
  it("names an authority by its approved name, an app's service account by its app", () => {
    const t = translator('zh-CN');
    expect(nameFromIdentity({ ...none, authority: { name: '上海市市场监督管理局' } }, t)).toBe(
      '上海市市场监督管理局',
    );
    const aggregator = { authority: null, account: { kind: 'service' }, roles: ['parking/aggregator'] };
    expect(nameFromIdentity(aggregator, t)).toBe('智慧停车服务账户');
    expect(nameFromIdentity(aggregator, translator('en'))).toBe('Smart parking service account');
  });

  it('gives no name to a person, an organisation, or a service of no one app', () => {
    const t = translator('zh-CN');
    expect(nameFromIdentity(none, t)).toBeNull();
    expect(
      nameFromIdentity({ ...none, account: { kind: 'person' }, roles: ['copyright/reviewer'] }, t),
    ).toBeNull();
    expect(
      nameFromIdentity({ ...none, account: { kind: 'service' }, roles: ['a/x', 'food/y'] }, t),
    ).toBeNull();
    expect(nameFromIdentity({ ...none, account: { kind: 'service' }, roles: ['newapp/x'] }, t)).toBeNull();
  });

  it("reads the issuer's records from the chain; a record that fails to load counts as absent", async () => {
    const state: Record<string, unknown> = {
      'governance/authority/gx1a': { name: '市场监管局', scopes: ['registry'], since: 3 },
      'identity/account/gx1a': { kind: 'organization', did: 'did:gx:gx1a', registeredAt: 1 },
    };
    const chain = {
      state: async (key: string) => {
        if (key.startsWith('identity/roles/')) throw new Error('HTTP 502');
        return { value: state[key] ?? null };
      },
    };
    expect(await readIdentity(chain, 'gx1a')).toEqual({
      authority: { name: '市场监管局' },
      account: { kind: 'organization' },
      roles: [],
    });
    expect(await readIdentity(chain, 'gx1b')).toEqual({ authority: null, account: null, roles: [] });
  });
});
