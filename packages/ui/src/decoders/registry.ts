// The action decoders registry: how an action reads in words in the sign dialog ("Transfer 12.50 CNYX to
// gx1…"). Apps register decoders for their own contracts; the core contracts' come built in. An action
// nobody decodes, or whose decoder fails on unexpected params, is shown as contract, action and the
// params as JSON: a person is never shown less than what they sign.
import { type Action, type JsonValue, toJsonValue, type Value } from '@gongxin/ledger';
import { formatAmount } from '../format/amount';
import { coreDecoders } from './core-decoders';

/** vue-i18n's `t`, as decoders use it. */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

export type ActionParams = { readonly [key: string]: JsonValue };

export interface DecodeContext {
  locale: string;
  /**
   * An amount of an asset: "1,234.56 CNYX" when the asset's decimals are known (signAndSend looks them up
   * on the chain), otherwise the integer with a note that it is in the smallest unit.
   */
  amount(value: JsonValue | undefined, symbol: JsonValue | undefined): string;
}

/**
 * `params` are in the API's JSON form (bigints as decimal strings, bytes as 0x-hex). Addresses should be
 * shown in full: a shortened address is exactly what a look-alike address attack relies on.
 */
export type ActionDecoder = (params: ActionParams, t: Translate, ctx: DecodeContext) => string;

const decoders = new Map<string, ActionDecoder>(Object.entries(coreDecoders));

/** Register (or replace) how `<contract>.<action>` reads, e.g. `registerActionDecoder('welfare.disburse', …)`. */
export function registerActionDecoder(key: string, decoder: ActionDecoder): void {
  if (!/^[a-z][a-z0-9_]*\.[a-zA-Z][a-zA-Z0-9_.]*$/.test(key))
    throw new Error(`an action decoder key is "<contract>.<action>", got "${key}"`);
  decoders.set(key, decoder);
}

export function createDecodeContext(
  t: Translate,
  locale: string,
  decimals: Readonly<Record<string, number>>,
): DecodeContext {
  return {
    locale,
    amount(value, symbol) {
      const raw = typeof value === 'number' ? String(value) : value;
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

export function describeAction(action: Action, t: Translate, ctx: DecodeContext): DescribedAction {
  const params = toJsonValue(action.params as Value) as ActionParams;
  const base = { contract: action.contract, name: action.name, params };
  const decoder = decoders.get(`${action.contract}.${action.name}`);
  if (decoder) {
    try {
      const text = decoder(params, t, ctx);
      if (typeof text === 'string' && text.trim() !== '') return { ...base, text, decoded: true };
    } catch {
      // A decoder written for other params than these: fall through to the literal form.
    }
  }
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
