// One vue-i18n instance per front end, Chinese first. The chosen language is remembered per browser so a
// person who switched to English once is not switched back on the next page of the suite.
import { createI18n } from 'vue-i18n';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export const supportedLocales = ['zh-CN', 'en'] as const;
export type SuiteLocale = (typeof supportedLocales)[number];

const storageKey = 'gongxin.locale';

export function initialLocale(): SuiteLocale {
  const saved = globalThis.localStorage?.getItem(storageKey);
  return (supportedLocales as readonly string[]).includes(saved ?? '') ? (saved as SuiteLocale) : 'zh-CN';
}

export function rememberLocale(locale: SuiteLocale): void {
  globalThis.localStorage?.setItem(storageKey, locale);
  if (globalThis.document) document.documentElement.lang = locale;
}

type Messages = Record<string, unknown>;

function merge(base: Messages, extra: Messages): Messages {
  const out: Messages = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const prior = out[key];
    out[key] =
      prior && typeof prior === 'object' && value && typeof value === 'object'
        ? merge(prior as Messages, value as Messages)
        : value;
  }
  return out;
}

/** Create the i18n instance with the suite's shared strings plus the app's own. */
export function createSuiteI18n(appMessages: { 'zh-CN': Messages; en: Messages }) {
  const locale = initialLocale();
  rememberLocale(locale);
  const messages: Record<SuiteLocale, Messages> = {
    'zh-CN': merge(zhCN, appMessages['zh-CN']),
    en: merge(en, appMessages.en),
  };
  return createI18n<[Messages], SuiteLocale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages,
  });
}
