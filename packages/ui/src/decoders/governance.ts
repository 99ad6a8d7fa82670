// A governance proposal's change in words ("加入验证者 node4（公钥 0707…），运营方 gx1…，投票权 10"), for the
// sign dialog, the explorer's tx pages and its members' console alike. Reads the payload as the chain keeps
// it in JSON (bytes as 0x-hex, bigints as decimal strings) and insists on the fields it names: a payload
// that does not fit throws, and the caller shows the literal JSON rather than a sentence that would hide it.
import { PROPOSAL_KINDS } from '@gongxin/contracts/events';
import type { JsonValue } from '@gongxin/ledger';
import type { Translate } from './registry';

/** The suite's apps by id: an authority's scopes name them. Other scopes read as they are. */
const APPS = [
  'identity',
  'passport',
  'assets',
  'wallet',
  'copyright',
  'food',
  'parking',
  'registry',
  'solar',
  'energy',
  'welfare',
] as const;

export interface ProposalWordsOptions {
  /** The page's language, for the calendar's days ("10月1日", "Oct 1"). */
  locale: string;
  /** A validator's name by its key (lowercase hex, no prefix), where the page knows the set. */
  validatorName?: (key: string) => string | undefined;
}

type Payload = { readonly [key: string]: JsonValue };

function field(payload: Payload, key: string): string {
  const value = payload[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(`payload field ${key} is missing`);
}

/** A key as the explorer shows keys everywhere: lowercase hex without a prefix. */
function keyOf(payload: Payload): string {
  const value = payload.key;
  if (typeof value !== 'string' || !/^(0x)?([0-9a-fA-F]{2})+$/.test(value)) throw new Error('key is not hex');
  return value.replace(/^0x/, '').toLowerCase();
}

function list(payload: Payload, key: string): string[] {
  const value = payload[key];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new Error(`payload field ${key} is not a list of text`);
  return value as string[];
}

const joiner = (locale: string) => (locale.startsWith('zh') ? '、' : ', ');

/**
 * A suite app by its name in the page's language (钱包, Wallet), one set of names for the suite; undefined
 * for an id that is not one of the suite's apps (a third-party client, a scope of a newer release).
 */
export function suiteAppName(id: string, t: Translate): string | undefined {
  return (APPS as readonly string[]).includes(id) ? t(`actions.governance.apps.${id}`) : undefined;
}

/** An authority's scopes by app name: "身份认证、智慧停车", "Identity, Smart parking". */
export function scopesInWords(scopes: readonly string[], t: Translate, locale: string): string {
  return scopes.map((s) => suiteAppName(s, t) ?? s).join(joiner(locale));
}

/** A calendar's days (MM-DD of `year`) as dates of the language: "1月1日、10月1日", "Jan 1, Oct 1". */
export function calendarDays(t: Translate, year: number, list: readonly string[], locale: string): string {
  if (list.length === 0) return t('actions.governance.change.noDays');
  const format = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return list
    .map((day) => {
      const match = /^(\d{2})-(\d{2})$/.exec(day);
      if (!match) throw new Error(`${day} is not a day (MM-DD)`);
      return format.format(Date.UTC(year, Number(match[1]) - 1, Number(match[2])));
    })
    .join(joiner(locale));
}

/** The kind of a proposal in words ("加入验证者", "Add a validator"); a kind the suite does not know throws. */
export function proposalKind(kind: string, t: Translate): string {
  if (!(PROPOSAL_KINDS as readonly string[]).includes(kind)) throw new Error(`no proposal kind ${kind}`);
  return t(`actions.governance.kinds.${kind}`);
}

/** What a proposal changes, as one sentence. */
export function proposalChange(
  kind: string,
  payload: JsonValue | undefined,
  t: Translate,
  options: ProposalWordsOptions,
): string {
  if (payload === null || payload === undefined || typeof payload !== 'object' || Array.isArray(payload))
    throw new Error('a proposal payload is a record');
  const p = payload as Payload;
  const m = (key: string, named: Record<string, unknown>) => t(`actions.governance.change.${key}`, named);
  const named = (key: string) => options.validatorName?.(key);
  switch (kind) {
    case 'addValidator':
      return m('addValidator', {
        name: field(p, 'name'),
        key: keyOf(p),
        operator: field(p, 'operator'),
        power: field(p, 'power'),
      });
    case 'removeValidator': {
      const key = keyOf(p);
      const name = named(key);
      return name === undefined ? m('removeValidator', { key }) : m('removeValidatorNamed', { key, name });
    }
    case 'setPower': {
      const key = keyOf(p);
      const name = named(key);
      const power = field(p, 'power');
      return name === undefined ? m('setPower', { key, power }) : m('setPowerNamed', { key, name, power });
    }
    case 'grantAuthority':
      return m('grantAuthority', {
        address: field(p, 'address'),
        name: field(p, 'name'),
        scopes: scopesInWords(list(p, 'scopes'), t, options.locale),
      });
    case 'revokeAuthority':
      return m('revokeAuthority', { address: field(p, 'address') });
    case 'activateContract':
      return m('activateContract', {
        contract: field(p, 'contract'),
        version: field(p, 'version'),
        height: field(p, 'height'),
      });
    case 'setParam': {
      const value = p.value;
      if (value === null) return m('removeParam', { name: field(p, 'name') });
      if (typeof value === 'boolean')
        return m('setParam', { name: field(p, 'name'), value: t(`actions.governance.change.${value}`) });
      return m('setParam', { name: field(p, 'name'), value: field(p, 'value') });
    }
    case 'setCalendar': {
      const year = Number(field(p, 'year'));
      if (!Number.isInteger(year)) throw new Error('year is not a year');
      return m('setCalendar', {
        year,
        holidays: calendarDays(t, year, list(p, 'holidays'), options.locale),
        workdays: calendarDays(t, year, list(p, 'workdays'), options.locale),
      });
    }
    default:
      throw new Error(`no proposal kind ${kind}`);
  }
}
