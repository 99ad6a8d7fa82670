import type { DecoderPack } from '../decoders/packs';
import { createDecodeContext } from '../decoders/registry';

/**
 * A `t` that fills one language of a decoder pack's messages in, as vue-i18n does (nested keys,
 * `{name}` slots), for testing a pack's decoders without an i18n instance. A key the pack does not
 * have throws, so a decoder that names a missing message fails its test.
 */
export function packTranslator(pack: DecoderPack, lang: 'en' | 'zh-CN') {
  const root = (pack.messages?.[lang] ?? {}) as Record<string, unknown>;
  return (key: string, named: Record<string, unknown> = {}): string => {
    const message = key.split('.').reduce<unknown>((m, k) => (m as Record<string, unknown>)?.[k], root);
    if (typeof message !== 'string') throw new Error(`no message ${key} in the pack's ${lang} messages`);
    return message.replace(/\{(\w+)\}/g, (_, k: string) => String(named[k]));
  };
}

/** Every dotted key of a nested message object, sorted. */
export function messageKeys(messages: unknown, prefix = ''): string[] {
  if (typeof messages !== 'object' || messages === null) return [prefix];
  return Object.entries(messages as Record<string, unknown>)
    .flatMap(([k, v]) => messageKeys(v, prefix ? `${prefix}.${k}` : k))
    .sort();
}

/**
 * What a pack must hold to read its contract in both languages: the same message keys in Chinese and
 * English, and a decoder for every event of the contract's catalog. Returns the problems, one line each
 * (empty when the pack is whole), so a test shows all of them at once.
 */
export function packProblems(
  pack: DecoderPack,
  catalog: { contract: string; names: readonly string[]; example?: (name: never) => unknown },
): string[] {
  const problems: string[] = [];
  const zh = new Set(messageKeys(pack.messages?.['zh-CN'] ?? {}));
  const en = new Set(messageKeys(pack.messages?.en ?? {}));
  for (const k of zh) if (!en.has(k)) problems.push(`message ${k} has no English`);
  for (const k of en) if (!zh.has(k)) problems.push(`message ${k} has no Chinese`);
  for (const name of catalog.names) {
    const decoder = pack.events?.[`${catalog.contract}.${name}`];
    if (typeof decoder !== 'function') {
      problems.push(`event ${catalog.contract}.${name} has no decoder`);
      continue;
    }
    if (!catalog.example) continue;
    // The catalog's example attributes, read in each language: no throw, no slot left unfilled.
    const attrs = catalog.example(name as never) as Parameters<typeof decoder>[0];
    for (const lang of ['zh-CN', 'en'] as const) {
      try {
        const t = packTranslator(pack, lang);
        const text = decoder(attrs, t, createDecodeContext(t, lang, { CNYX: 2 }));
        if (/\{\w+\}|undefined/.test(text))
          problems.push(`event ${catalog.contract}.${name} reads "${text}" in ${lang}`);
      } catch (e) {
        problems.push(`event ${catalog.contract}.${name} fails in ${lang}: ${(e as Error).message}`);
      }
    }
  }
  for (const key of Object.keys(pack.events ?? {})) {
    const [contract, name] = key.split('.');
    if (contract === catalog.contract && !catalog.names.includes(name ?? ''))
      problems.push(`decoder ${key} is for an event the catalog does not have`);
  }
  return problems;
}
