// The event decoders registry: how a chain event reads in words ("gx1… transferred 12.50 CNYX to gx1…"),
// the explorer's counterpart of the ui kit's action decoders. Keyed by `<contract>.<event>`; the core
// contracts' decoders are built in (core-events.ts), other apps' come in decoder packs (packs.ts). An
// event nobody decodes — or whose decoder throws on attributes it did not expect — is shown as contract,
// event and attributes as JSON, marked as not put into words: never less than what the chain says.
import type { ActionParams, DecodeContext, Translate } from '@gongxin/ui';
import { ref } from 'vue';

/** An event's attributes in the API's JSON form (bigints as decimal strings, bytes as 0x-hex). */
export type EventAttrs = ActionParams;

export type EventDecoder = (attrs: EventAttrs, t: Translate, ctx: DecodeContext) => string;

export interface DescribedEvent {
  contract: string;
  name: string;
  text: string;
  /** False when no decoder could read it and `text` is the JSON fallback. */
  decoded: boolean;
}

const decoders = new Map<string, EventDecoder>();

/**
 * Bumped on every registration. Pages read it where they describe records, so lines written before a
 * decoder pack arrived are written again once it has.
 */
export const decoderVersion = ref(0);

const KEY = /^[a-z@][a-z0-9_]*\.[a-zA-Z][a-zA-Z0-9_.]*$/;

/** Register (or replace) how `<contract>.<event>` reads, e.g. `registerEventDecoder('food.shipped', …)`. */
export function registerEventDecoder(key: string, decoder: EventDecoder): void {
  if (!KEY.test(key)) throw new Error(`an event decoder key is "<contract>.<event>", got "${key}"`);
  decoders.set(key, decoder);
  decoderVersion.value++;
}

export function describeEvent(
  event: { contract: string; name: string; attrs: unknown },
  t: Translate,
  ctx: DecodeContext,
): DescribedEvent {
  const base = { contract: event.contract, name: event.name };
  const attrs = (event.attrs !== null && typeof event.attrs === 'object' ? event.attrs : {}) as EventAttrs;
  const decoder = decoders.get(`${event.contract}.${event.name}`);
  if (decoder) {
    try {
      const text = decoder(attrs, t, ctx);
      if (typeof text === 'string' && text.trim() !== '') return { ...base, text, decoded: true };
    } catch {
      // A decoder written for other attributes than these: fall through to the literal form.
    }
  }
  return {
    ...base,
    text: t('explorer.events.fallback', {
      contract: event.contract,
      event: event.name,
      attrs: JSON.stringify(event.attrs),
    }),
    decoded: false,
  };
}
