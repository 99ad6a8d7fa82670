// How the core contracts' actions (identity, assets, notary, governance) read in the sign dialog and the
// explorer. Each decoder insists on the params it knows: a missing or odd field throws, and the line shows
// the literal JSON instead of a sentence that would hide it. (Actions have no catalog: a contract's params
// schema accepts several forms of one value, e.g. a hash as bytes or hex, so the decoders read what they
// need of the JSON here.)
import type { JsonValue } from '@gongxin/ledger';
import { formatAmount } from '../format/amount';
import { formatTime } from '../format/time';
import type { ActionDecoder, ActionParams, Translate } from './registry';

function text(params: ActionParams, key: string): string {
  const value = params[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`param ${key} is missing`);
}

const optional = (params: ActionParams, key: string) =>
  params[key] === undefined ? undefined : text(params, key);

/** A word for a known enum value (`actions.kind.person`), the value itself otherwise. */
function word(t: Translate, group: string, value: JsonValue | undefined, known: readonly string[]): string {
  if (typeof value !== 'string') throw new Error(`${group} is missing`);
  return known.includes(value) ? t(`actions.${group}.${value}`) : value;
}

const KINDS = ['person', 'organization', 'device', 'service'] as const;

/** Appends "（备注：…）" / "(memo: …)" when the param is there. */
function withMemo(t: Translate, sentence: string, memo: string | undefined): string {
  return memo === undefined ? sentence : `${sentence}${t('actions.withMemo', { memo })}`;
}

export const coreActionDecoders: Record<string, ActionDecoder> = {
  'identity.register': (p, t) => t('actions.identity.register', { kind: word(t, 'kind', p.kind, KINDS) }),
  'identity.attest': (p, t) =>
    t('actions.identity.attest', { subject: text(p, 'subject'), kind: word(t, 'kind', p.kind, KINDS) }),
  'identity.grantRole': (p, t) =>
    t('actions.identity.grantRole', {
      subject: text(p, 'subject'),
      app: text(p, 'app'),
      role: text(p, 'role'),
    }),
  'identity.revokeRole': (p, t) =>
    t('actions.identity.revokeRole', {
      subject: text(p, 'subject'),
      app: text(p, 'app'),
      role: text(p, 'role'),
      reason: text(p, 'reason'),
    }),
  'identity.rotateKey': (p, t) => t('actions.identity.rotateKey', { key: text(p, 'newKey') }),
  'identity.revokeAttestation': (p, t) =>
    t('actions.identity.revokeAttestation', { subject: text(p, 'subject'), reason: text(p, 'reason') }),

  'assets.issue': (p, t, ctx) => {
    const decimals = Number(text(p, 'decimals'));
    const symbol = text(p, 'symbol');
    return t('actions.assets.issue', {
      symbol,
      name: text(p, 'name'),
      decimals,
      policy: word(t, 'policy', p.policy, ['fixed', 'mintable']),
      // The asset does not exist yet: its decimals come from the same action.
      supply: `${formatAmount(text(p, 'initialSupply'), decimals, ctx.locale)} ${symbol}`,
    });
  },
  'assets.mint': (p, t, ctx) => {
    const to = optional(p, 'to');
    const amount = ctx.amount(text(p, 'amount'), p.symbol);
    return to === undefined
      ? t('actions.assets.mintSelf', { amount })
      : t('actions.assets.mint', { amount, to });
  },
  'assets.transfer': (p, t, ctx) =>
    withMemo(
      t,
      t('actions.assets.transfer', { amount: ctx.amount(text(p, 'amount'), p.symbol), to: text(p, 'to') }),
      optional(p, 'memo'),
    ),
  'assets.burn': (p, t, ctx) => t('actions.assets.burn', { amount: ctx.amount(text(p, 'amount'), p.symbol) }),
  'assets.createPacket': (p, t, ctx) =>
    withMemo(
      t,
      t('actions.assets.createPacket', {
        amount: ctx.amount(text(p, 'total'), p.symbol),
        count: text(p, 'count'),
        split: word(t, 'split', p.split, ['equal', 'random']),
        expires: formatTime(Number(text(p, 'expiresAt')), ctx.locale),
      }),
      optional(p, 'memo'),
    ),
  'assets.claimPacket': (p, t) => t('actions.assets.claimPacket', { id: text(p, 'id') }),
  'assets.refundPacket': (p, t) => t('actions.assets.refundPacket', { id: text(p, 'id') }),
  'assets.freeze': (p, t) =>
    t('actions.assets.freeze', {
      symbol: text(p, 'symbol'),
      account: text(p, 'account'),
      reason: text(p, 'reason'),
    }),
  'assets.unfreeze': (p, t) =>
    t('actions.assets.unfreeze', {
      symbol: text(p, 'symbol'),
      account: text(p, 'account'),
      reason: text(p, 'reason'),
    }),

  'notary.anchor': (p, t) => t('actions.notary.anchor', { hash: text(p, 'hash'), type: text(p, 'type') }),

  'governance.propose': (p, t) =>
    t('actions.governance.propose', { kind: text(p, 'kind'), payload: JSON.stringify(p.payload ?? null) }),
  'governance.vote': (p, t) =>
    t(p.approve === true ? 'actions.governance.voteYes' : 'actions.governance.voteNo', { id: text(p, 'id') }),
  'governance.expire': (p, t) => t('actions.governance.expire', { id: text(p, 'id') }),
};
