import { type AnyEventCatalog, type Attr, suiteEventCatalogs } from '@gongxin/contracts/events';
import { describe, expect, it } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { activityRoleKeys } from './roles';

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

/** A role's word as the account page finds it: the event's own word for the attribute, else the usual one. */
function roleWord(messages: object, role: string, event: { contract: string; name: string }): string {
  const lookup = (key: string) =>
    key.split('.').reduce<unknown>((m, k) => (m as Record<string, unknown> | undefined)?.[k], messages);
  const found = activityRoleKeys(role, event)
    .map(lookup)
    .find((w) => typeof w === 'string');
  return typeof found === 'string' ? found : role;
}

describe('activity roles of transfers', () => {
  // Every account attribute of every catalogued event, with the schema it is in.
  const named = suiteEventCatalogs.flatMap((catalog) =>
    catalog.names.flatMap((name) => {
      const schema = catalog.schemas[name] as Record<string, AnyAttr>;
      return Object.entries(schema)
        .filter(([, attr]) => namesAccounts(attr))
        .map(([role]) => ({ event: { contract: catalog.contract, name }, role, schema }));
    }),
  );

  it.each([
    ['zh-CN', zhCN, /付款|收款/],
    ['en', en, /\bpay(er|ee)\b/],
  ] as const)(
    'calls an account a payer or payee in %s only where money moves to or from it',
    (_lang, messages, money) => {
      const wrong = named
        .filter(({ event, role }) => money.test(roleWord(messages, role, event)))
        .filter(({ role, schema }) => {
          const attrs = Object.values(schema);
          // No amount at all: nobody pays anybody (a failed tx, a transfer of rights or certificates).
          if (!attrs.some((a) => a.type === 'amount')) return true;
          // `from` and `to` as payer and payee: what goes from one to the other must be an amount of an asset,
          // not a right sold for a price that goes the other way.
          return (role === 'from' || role === 'to') && !(schema.symbol && schema.amount?.type === 'amount');
        })
        .map(
          ({ event, role }) => `${event.contract}.${event.name}.${role}: ${roleWord(messages, role, event)}`,
        );
      expect(wrong).toEqual([]);
    },
  );

  it('names the two sides of a copyright transfer as previous and new rights holder', () => {
    const event = { contract: 'copyright', name: 'rightsTransferred' };
    expect([roleWord(zhCN, 'from', event), roleWord(zhCN, 'to', event)]).toEqual(['原权利人', '新权利人']);
    expect([roleWord(en, 'from', event), roleWord(en, 'to', event)]).toEqual([
      'previous rights holder',
      'new rights holder',
    ]);
    // A channel's settlement: each party by its side of the channel.
    const settled = { contract: 'channels', name: 'settled' };
    expect([roleWord(zhCN, 'a', settled), roleWord(zhCN, 'b', settled)]).toEqual([
      '通道开通方',
      '通道另一方',
    ]);
    // Money transfers keep their payer and payee.
    const transfer = { contract: 'assets', name: 'transferred' };
    expect([roleWord(zhCN, 'from', transfer), roleWord(zhCN, 'to', transfer)]).toEqual(['付款方', '收款方']);
  });

  it('has an event’s own words in both languages, each for an account attribute the event has', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    const zh = keys(zhCN.explorer.eventRoles);
    expect(zh).toEqual(keys(en.explorer.eventRoles));
    const known = new Set(named.map(({ event, role }) => `${event.contract}.${event.name}.${role}`));
    // A channel's settlement names amounts by side; the explorer's indexer puts each party under its side.
    for (const side of ['a', 'b']) known.add(`channels.settled.${side}`);
    expect(zh.filter((k) => !known.has(k))).toEqual([]);
  });
});
