// The suite's one decoder registry: how actions and events read in words ("Transfer 12.50 CNYX to gx1…",
// "gx1… transferred 12.50 CNYX to gx1…"), keyed `<contract>.<action>` and `<contract>.<event>`. The sign
// dialog, the explorer and every app read from it; the core contracts' decoders are built in
// (core-actions.ts, core-events.ts), an app registers its own or installs its decoder pack (packs.ts).
// A record nobody decodes, or whose decoder fails on what it is given, is shown as contract, name and
// JSON: a person is never shown less than what they sign or what the chain says.
import { type Action, type JsonValue, toJsonValue, type Value } from '@gongxin/ledger';
import { ref } from 'vue';
import { formatAmount } from '../format/amount';
import { coreActionDecoders } from './core-actions';
import { coreEventDecoders } from './core-events';

/** vue-i18n's `t`, as decoders use it. */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

export type ActionParams = { readonly [key: string]: JsonValue };

/** An event's attributes in the API's JSON form (bigints as decimal strings, bytes as 0x-hex). */
export type EventAttrs = ActionParams;

export interface DecodeContext {
  locale: string;
  /**
   * An amount of an asset: "1,234.56 CNYX" when the asset's decimals are known (signAndSend looks them up
   * on the chain, the explorer sends them with its records), otherwise the integer with a note that it is
   * in the smallest unit. Takes the API's JSON form or the bigint an event catalog parsed.
   */
  amount(value: JsonValue | bigint | undefined, symbol: JsonValue | undefined): string;
  /** A validator's name by its key (lowercase hex, no prefix), where the page knows the set. */
  validatorName?: (key: string) => string | undefined;
}

/**
 * `params` are in the API's JSON form (bigints as decimal strings, bytes as 0x-hex). Addresses should be
 * shown in full: a shortened address is exactly what a look-alike address attack relies on.
 */
export type ActionDecoder = (params: ActionParams, t: Translate, ctx: DecodeContext) => string;

/**
 * Decoders of a catalogued contract's events take their typed attributes from the catalog
 * (`foodEvents.decoders({ anchored: (a, t, ctx) => … })`), which throws on attributes that do not fit.
 */
export type EventDecoder = (attrs: EventAttrs, t: Translate, ctx: DecodeContext) => string;

const actionDecoders = new Map<string, ActionDecoder>();
const eventDecoders = new Map<string, EventDecoder>();

/**
 * Bumped on every registration. Pages read it where they describe records, so lines written before a
 * decoder pack arrived are written again once it has.
 */
export const decoderVersion = ref(0);

const ACTION_KEY = /^[a-z][a-z0-9_]*\.[a-zA-Z][a-zA-Z0-9_.]*$/;
const EVENT_KEY = /^[a-z@][a-z0-9_]*\.[a-zA-Z][a-zA-Z0-9_.]*$/;

/** Register (or replace) how `<contract>.<action>` reads, e.g. `registerActionDecoder('welfare.disburse', …)`. */
export function registerActionDecoder(key: string, decoder: ActionDecoder): void {
  if (!ACTION_KEY.test(key)) throw new Error(`an action decoder key is "<contract>.<action>", got "${key}"`);
  actionDecoders.set(key, decoder);
  decoderVersion.value++;
}

/** Register (or replace) how `<contract>.<event>` reads, e.g. `registerEventDecoder('food.shipped', …)`. */
export function registerEventDecoder(key: string, decoder: EventDecoder): void {
  if (!EVENT_KEY.test(key)) throw new Error(`an event decoder key is "<contract>.<event>", got "${key}"`);
  eventDecoders.set(key, decoder);
  decoderVersion.value++;
}

for (const [key, decoder] of Object.entries(coreActionDecoders)) actionDecoders.set(key, decoder);
for (const [key, decoder] of Object.entries(coreEventDecoders)) eventDecoders.set(key, decoder);

export function createDecodeContext(
  t: Translate,
  locale: string,
  decimals: Readonly<Record<string, number>>,
  opts: { validatorName?: (key: string) => string | undefined } = {},
): DecodeContext {
  return {
    locale,
    ...(opts.validatorName && { validatorName: opts.validatorName }),
    amount(value, symbol) {
      const raw = typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
      if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) return JSON.stringify(value ?? null);
      const name = typeof symbol === 'string' ? symbol : '';
      const places = decimals[name];
      if (places === undefined)
        return t('sign.smallestUnits', { amount: formatAmount(raw, 0, locale), symbol: name });
      return `${formatAmount(raw, places, locale)} ${name}`.trim();
    },
  };
}

export interface DescribedAction {
  contract: string;
  name: string;
  text: string;
  /** False when no decoder could read it and `text` is the JSON fallback. */
  decoded: boolean;
  params: ActionParams;
}

export interface DescribedEvent {
  contract: string;
  name: string;
  text: string;
  /** False when no decoder could read it and `text` is the JSON fallback. */
  decoded: boolean;
}

/** Runs a decoder; undefined when there is none, it throws, or it says nothing. */
function tryDecode<A>(
  decoder: ((input: A, t: Translate, ctx: DecodeContext) => string) | undefined,
  input: A,
  t: Translate,
  ctx: DecodeContext,
): string | undefined {
  if (!decoder) return undefined;
  try {
    const text = decoder(input, t, ctx);
    return typeof text === 'string' && text.trim() !== '' ? text : undefined;
  } catch {
    // A decoder written for other params or attributes than these: fall through to the literal form.
    return undefined;
  }
}

/** An action in words. Params may be chain values (a tx about to be signed) or the API's JSON. */
export function describeAction(action: Action, t: Translate, ctx: DecodeContext): DescribedAction {
  const params = toJsonValue(action.params as Value) as ActionParams;
  const base = { contract: action.contract, name: action.name, params };
  const text = tryDecode(actionDecoders.get(`${action.contract}.${action.name}`), params, t, ctx);
  if (text !== undefined) return { ...base, text, decoded: true };
  return {
    ...base,
    text: t('sign.fallback', {
      contract: action.contract,
      action: action.name,
      params: JSON.stringify(params),
    }),
    decoded: false,
  };
}

/** An event from the node API in words. */
export function describeEvent(
  event: { contract: string; name: string; attrs: unknown },
  t: Translate,
  ctx: DecodeContext,
): DescribedEvent {
  const base = { contract: event.contract, name: event.name };
  const attrs = (event.attrs !== null && typeof event.attrs === 'object' ? event.attrs : {}) as EventAttrs;
  const text = tryDecode(eventDecoders.get(`${event.contract}.${event.name}`), attrs, t, ctx);
  if (text !== undefined) return { ...base, text, decoded: true };
  return {
    ...base,
    text: t('events.fallback', {
      contract: event.contract,
      event: event.name,
      attrs: JSON.stringify(event.attrs),
    }),
    decoded: false,
  };
}
