import { type AnyEventCatalog, type Attr, suiteEventCatalogs } from '@gongxin/contracts/events';
import { describe, expect, it } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

type AnyAttr = Attr<unknown, unknown, boolean>;

/** Whether an attribute holds an account address: itself, or in its list's items or its record's fields. */
function namesAccounts(attr: AnyAttr): boolean {
  if (attr.type === 'address') return true;
  if (attr.item && namesAccounts(attr.item)) return true;
  return Object.values(attr.fields ?? {}).some((field) => namesAccounts(field as AnyAttr));
}

/**
 * The activity roles the account page can meet: the indexer names an account's part in an event by the
 * top-level attribute it appears in (nested addresses count under their top-level attribute).
 */
function accountAttributes(catalogs: readonly AnyEventCatalog[]): string[] {
  const found = new Set<string>();
  for (const catalog of catalogs)
    for (const name of catalog.names)
      for (const [key, attr] of Object.entries(catalog.schemas[name] as Record<string, AnyAttr>))
        if (namesAccounts(attr)) found.add(key);
  return [...found].sort();
}

describe('activity roles', () => {
  const roles = accountAttributes(suiteEventCatalogs);

  it('finds the attributes naming accounts, nested ones under their top-level name', () => {
    // A sanity check of the walk itself: a plain address, a list of addresses, addresses in records.
    expect(roles).toEqual(expect.arrayContaining(['from', 'to', 'validators']));
    expect(roles).not.toContain('symbol');
  });

  it.each([
    ['zh-CN', zhCN.explorer.roles as Record<string, string>],
    ['en', en.explorer.roles as Record<string, string>],
  ])('has a word in %s for every attribute of every event catalog that names an account', (lang, words) => {
    const missing = roles.filter((role) => typeof words[role] !== 'string' || words[role].trim() === '');
    expect(missing, `roles without words in ${lang}`).toEqual([]);
    // The transaction's sender is a role too (the account sent the tx).
    expect(words.sender).toBeTruthy();
  });

  it('speaks Chinese in Chinese, and has no role in one language only', () => {
    const zh = zhCN.explorer.roles as Record<string, string>;
    const english = en.explorer.roles as Record<string, string>;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(english).sort());
    const notChinese = Object.entries(zh).filter(
      ([role, word]) => role !== 'did' && !/\p{Script=Han}/u.test(word),
    );
    expect(notChinese).toEqual([]);
  });
});
