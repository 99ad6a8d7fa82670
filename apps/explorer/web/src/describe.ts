// Records in words for the current language, from the ui kit's decoder registry (core contracts built in,
// apps' decoder packs loaded at start), amounts formatted by the decimals the server sent with the records.
import { type Action, toJsonValue, type Value } from '@gongxin/ledger';
import {
  channelOfRef,
  createDecodeContext,
  decoderVersion,
  describeAction,
  describeEvent,
  proposalChange,
  type Translate,
} from '@gongxin/ui';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useValidatorNames } from './validator-names';

export function useDescriber(decimals: () => Record<string, number>) {
  const { t, locale } = useI18n();
  const translate: Translate = (key, named) => t(key, named ?? {});
  const validatorName = useValidatorNames();
  const ctx = computed(() => createDecodeContext(translate, locale.value, decimals(), { validatorName }));
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

/**
 * A governance proposal's change as a sentence of the page's language ("加入验证者 node4（公钥 …）…"),
 * naming validators by the set the page knows; null when the payload does not read as its kind (the page
 * then shows the payload as it is).
 */
export function useProposalWords(
  validators: () => readonly { key: string; name: string }[] | null = () => null,
) {
  const { t, locale } = useI18n();
  const translate: Translate = (key, named) => t(key, named ?? {});
  return (kind: string, payload: unknown): string | null => {
    try {
      const text = proposalChange(kind, payload as never, translate, {
        locale: locale.value,
        validatorName: (key) => validators()?.find((v) => v.key.toLowerCase() === key)?.name,
      });
      // Standing alone it is a sentence: "Add the validator…", not "add the validator…".
      return text.charAt(0).toUpperCase() + text.slice(1);
    } catch {
      return null;
    }
  };
}

/**
 * The payment channel a lock is held in (`channel:<id>` on the assets contract's lock events) and the tx
 * that opened it: a channel's id is the id of the tx that opened it, followed by `:<action>` when the
 * opening was not the tx's first action.
 */
export function lockChannel(event: { contract: string; name: string; attrs: unknown }) {
  if (event.contract !== 'assets' || (event.name !== 'locked' && event.name !== 'unlocked')) return null;
  const ref = (event.attrs as { ref?: unknown } | null)?.ref;
  const id = typeof ref === 'string' ? channelOfRef(ref) : null;
  return id === null ? null : { id, openingTx: id.slice(0, 64) };
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
