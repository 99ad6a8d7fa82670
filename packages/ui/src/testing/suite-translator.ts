import type { Translate } from '../decoders/registry';
import { createSuiteI18n, type SuiteLocale } from '../i18n';

/** The suite's own `t` in one language, as the apps' i18n instance gives it (vue-i18n, its fallbacks). */
export function suiteTranslator(locale: SuiteLocale): Translate {
  const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
  i18n.global.locale.value = locale;
  return (key, named) => i18n.global.t(key, named ?? {});
}
