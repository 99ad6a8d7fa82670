// How the core contracts' actions (identity, assets, notary, governance, channels) read in the sign dialog and the
// explorer. Each decoder insists on the params it knows: a missing or odd field throws, and the line shows
// the literal JSON instead of a sentence that would hide it. (Actions have no catalog: a contract's params
// schema accepts several forms of one value, e.g. a hash as bytes or hex, so the decoders read what they
// need of the JSON here.)
import type { JsonValue } from '@gongxin/ledger';
import { formatAmount } from '../format/amount';
import { formatTime } from '../format/time';
import { proposalChange } from './governance';
import type { ActionDecoder, ActionParams, Translate } from './registry';

function text(params: ActionParams, key: string): string {
  const value = params[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`param ${key} is missing`);
}

const optional = (params: ActionParams, key: string) =>
  params[key] === undefined ? undefined : text(params, key);

/**
 * Bytes and hashes as the explorer shows keys and hashes everywhere: lowercase hex without a prefix (the
 * page shortens long ones in the middle). Params carry bytes as `0x…` hex, and a hash may come as bytes or
 * as hex of either case; anything that is not hex throws.
 */
function hexText(value: JsonValue | undefined, what = 'value'): string {
  if (typeof value !== 'string' || !/^(0x)?[0-9a-fA-F]*$/.test(value)) throw new Error(`${what} is not hex`);
  return value.replace(/^0x/, '').toLowerCase();
}

const hexParam = (params: ActionParams, key: string) => hexText(params[key], `param ${key}`);

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

/** An array param of objects (deposits, balances, proofs); anything else throws. */
function list(params: ActionParams, key: string): ActionParams[] {
  const value = params[key];
  if (!Array.isArray(value) || value.some((v) => v === null || typeof v !== 'object' || Array.isArray(v)))
    throw new Error(`param ${key} is not a list`);
  return value as ActionParams[];
}

/** A channel's deposits ("100.00 CNYD、5 PTS"), in the asset's decimals where known. */
function deposits(params: ActionParams, t: Translate, ctx: Parameters<ActionDecoder>[2]): string {
  return list(params, 'deposits')
    .map((d) => ctx.amount(text(d, 'amount'), text(d, 'symbol')))
    .join(t('actions.channels.and'));
}

/**
 * Balance proofs by what they say, as a cooperative close says its split: "开设方第 3 号证明：已付 25.00 CNYX，
 * 另有 1.00 CNYX 锁定中" per proof, amounts in each asset's decimals.
 */
function proofAmounts(proofs: ActionParams[], t: Translate, ctx: Parameters<ActionDecoder>[2]): string {
  return proofs
    .map((proof) => {
      const symbol = text(proof, 'symbol');
      const locked = text(proof, 'locked');
      const named = {
        side: word(t, 'channels.side', proof.side, ['a', 'b']),
        nonce: text(proof, 'nonce'),
        transferred: ctx.amount(text(proof, 'transferred'), symbol),
        locked: ctx.amount(locked, symbol),
      };
      return t(/^0+$/.test(locked) ? 'actions.channels.proof' : 'actions.channels.proofLocked', named);
    })
    .join(t('actions.channels.and'));
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
  'identity.rotateKey': (p, t) => t('actions.identity.rotateKey', { key: hexParam(p, 'newKey') }),
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

  'notary.anchor': (p, t) => t('actions.notary.anchor', { hash: hexParam(p, 'hash'), type: text(p, 'type') }),

  'governance.propose': (p, t, ctx) =>
    t('actions.governance.propose', {
      change: proposalChange(text(p, 'kind'), p.payload, t, {
        locale: ctx.locale,
        ...(ctx.validatorName && { validatorName: ctx.validatorName }),
      }),
    }),
  'governance.vote': (p, t) =>
    t(p.approve === true ? 'actions.governance.voteYes' : 'actions.governance.voteNo', { id: text(p, 'id') }),
  'governance.expire': (p, t) => t('actions.governance.expire', { id: text(p, 'id') }),

  'channels.open': (p, t, ctx) =>
    t('actions.channels.open', {
      peer: text(p, 'peer'),
      deposits: deposits(p, t, ctx),
      seconds: Math.round(Number(text(p, 'disputeMs')) / 1000),
    }),
  'channels.deposit': (p, t, ctx) =>
    t('actions.channels.deposit', { channel: text(p, 'channel'), deposits: deposits(p, t, ctx) }),
  'channels.cooperativeClose': (p, t, ctx) =>
    t('actions.channels.cooperativeClose', {
      channel: text(p, 'channel'),
      balances: list(p, 'balances')
        .map((b) =>
          t('actions.channels.split', {
            a: ctx.amount(text(b, 'a'), text(b, 'symbol')),
            b: ctx.amount(text(b, 'b'), text(b, 'symbol')),
          }),
        )
        .join(t('actions.channels.and')),
    }),
  'channels.close': (p, t, ctx) => {
    const proofs = list(p, 'proofs');
    return proofs.length === 0
      ? t('actions.channels.closeWithoutProofs', { channel: text(p, 'channel') })
      : t('actions.channels.close', { channel: text(p, 'channel'), proofs: proofAmounts(proofs, t, ctx) });
  },
  'channels.challenge': (p, t, ctx) =>
    t('actions.channels.challenge', {
      channel: text(p, 'channel'),
      proofs: proofAmounts(list(p, 'proofs'), t, ctx),
    }),
  'channels.revealPreimage': (p, t) =>
    t('actions.channels.revealPreimage', { preimage: hexParam(p, 'preimage') }),
  'channels.settle': (p, t) => t('actions.channels.settle', { channel: text(p, 'channel') }),
  'channels.withdraw': (p, t) => t('actions.channels.withdraw', { channel: text(p, 'channel') }),
};
