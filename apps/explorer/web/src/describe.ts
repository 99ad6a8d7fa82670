// Records in words for the current language, from the ui kit's decoder registry (core contracts built in,
// apps' decoder packs loaded at start), amounts formatted by the decimals the server sent with the records.
import { type Action, toJsonValue, type Value } from '@gongxin/ledger';
import {
  createDecodeContext,
  decoderVersion,
  describeAction,
  describeEvent,
  type Translate,
} from '@gongxin/ui';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';

export function useDescriber(decimals: () => Record<string, number>) {
  const { t, locale } = useI18n();
  const translate: Translate = (key, named) => t(key, named ?? {});
  const ctx = computed(() => createDecodeContext(translate, locale.value, decimals()));
  return {
    event(event: { contract: string; name: string; attrs: unknown }) {
      // Read so that a decoder pack arriving later re-renders the line.
      void decoderVersion.value;
      return describeEvent(event, translate, ctx.value);
    },
    action(action: { contract: string; name: string; params: unknown }) {
      void decoderVersion.value;
      return describeAction(action as Action, translate, ctx.value);
    },
  };
}

/** Every canonical-looking `gx1…` address in a record's values, in order, once: links beside its words. */
export function addressesIn(value: unknown, found = new Set<string>()): string[] {
  if (typeof value === 'string') {
    const address = value.startsWith('did:gx:') ? value.slice(7) : value;
    if (/^gx1[02-9ac-hj-np-z]{38}$/.test(address)) found.add(address);
  } else if (Array.isArray(value)) {
    for (const item of value) addressesIn(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) addressesIn(item, found);
  }
  return [...found];
}

/** Pretty JSON of a chain value (bigints as the API sends them: decimal strings). */
export const prettyJson = (value: unknown) => JSON.stringify(toJsonValue(value as Value), null, 2);
