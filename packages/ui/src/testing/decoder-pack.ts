import type { DecoderPack } from '../decoders/packs';

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
  catalog: { contract: string; names: readonly string[] },
): string[] {
  const problems: string[] = [];
  const zh = new Set(messageKeys(pack.messages?.['zh-CN'] ?? {}));
  const en = new Set(messageKeys(pack.messages?.en ?? {}));
  for (const k of zh) if (!en.has(k)) problems.push(`message ${k} has no English`);
  for (const k of en) if (!zh.has(k)) problems.push(`message ${k} has no Chinese`);
  for (const name of catalog.names) {
    if (typeof pack.events?.[`${catalog.contract}.${name}`] !== 'function')
      problems.push(`event ${catalog.contract}.${name} has no decoder`);
  }
  for (const key of Object.keys(pack.events ?? {})) {
    const [contract, name] = key.split('.');
    if (contract === catalog.contract && !catalog.names.includes(name ?? ''))
      problems.push(`decoder ${key} is for an event the catalog does not have`);
  }
  return problems;
}
