// How the core contracts' events (and the chain's own `core.tx.failed` / `core.tx.rejected`) read in
// words, plus the core actions the ui kit does not decode (governance, revoking an attestation). Each
// decoder insists on the attributes it knows: a missing one throws, and the line shows the literal JSON.
import { type ActionDecoder, formatTime, registerActionDecoder, type Translate } from '@gongxin/ui';
import { type EventAttrs, type EventDecoder, registerEventDecoder } from './registry';

function text(attrs: EventAttrs, key: string): string {
  const value = attrs[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`attribute ${key} is missing`);
}

/** A word for a known value (`actions.kind.person`, shared with the ui kit), the value itself otherwise. */
function word(t: Translate, group: string, value: unknown, known: readonly string[]): string {
  if (typeof value !== 'string') throw new Error(`${group} is missing`);
  return known.includes(value) ? t(`actions.${group}.${value}`) : value;
}

const KINDS = ['person', 'organization', 'device', 'service'];
const e = (key: string) => `explorer.events.${key}`;

function withMemo(t: Translate, sentence: string, attrs: EventAttrs): string {
  return attrs.memo === undefined
    ? sentence
    : `${sentence}${t('actions.withMemo', { memo: text(attrs, 'memo') })}`;
}

/** A red packet's ref (`packet:<id>`) in words; other refs (app contracts' locks) as they are. */
function lockRef(t: Translate, ref: string): string {
  return ref.startsWith('packet:') ? t(e('packetRef'), { id: ref.slice(7) }) : ref;
}

export const coreEventDecoders: Record<string, EventDecoder> = {
  'core.tx.failed': (a, t) =>
    t(e('core.failed'), {
      code: text(a, 'code'),
      message: text(a, 'message'),
      action: Number(text(a, 'action')) + 1,
    }),
  'core.tx.rejected': (a, t) => t(e('core.rejected'), { code: text(a, 'code'), message: text(a, 'message') }),

  'assets.issued': (a, t) =>
    t(e('assets.issued'), {
      issuer: text(a, 'issuer'),
      symbol: text(a, 'symbol'),
      name: text(a, 'name'),
      decimals: text(a, 'decimals'),
      policy: word(t, 'policy', a.policy, ['fixed', 'mintable']),
    }),
  'assets.minted': (a, t, ctx) =>
    t(e('assets.minted'), {
      amount: ctx.amount(text(a, 'amount'), a.symbol),
      to: text(a, 'to'),
      supply: ctx.amount(text(a, 'supply'), a.symbol),
    }),
  'assets.transferred': (a, t, ctx) =>
    withMemo(
      t,
      t(e('assets.transferred'), {
        from: text(a, 'from'),
        to: text(a, 'to'),
        amount: ctx.amount(text(a, 'amount'), a.symbol),
      }),
      a,
    ),
  'assets.burned': (a, t, ctx) =>
    t(e('assets.burned'), {
      from: text(a, 'from'),
      amount: ctx.amount(text(a, 'amount'), a.symbol),
      supply: ctx.amount(text(a, 'supply'), a.symbol),
    }),
  'assets.frozen': (a, t) =>
    t(e('assets.frozen'), {
      by: text(a, 'by'),
      symbol: text(a, 'symbol'),
      account: text(a, 'account'),
      reason: text(a, 'reason'),
    }),
  'assets.unfrozen': (a, t) =>
    t(e('assets.unfrozen'), {
      by: text(a, 'by'),
      symbol: text(a, 'symbol'),
      account: text(a, 'account'),
      reason: text(a, 'reason'),
    }),
  'assets.locked': (a, t, ctx) =>
    t(e('assets.locked'), {
      from: text(a, 'from'),
      amount: ctx.amount(text(a, 'amount'), a.symbol),
      ref: lockRef(t, text(a, 'ref')),
    }),
  'assets.unlocked': (a, t, ctx) =>
    t(e('assets.unlocked'), {
      to: text(a, 'to'),
      amount: ctx.amount(text(a, 'amount'), a.symbol),
      ref: lockRef(t, text(a, 'ref')),
    }),
  'assets.packetCreated': (a, t, ctx) =>
    t(e('assets.packetCreated'), {
      creator: text(a, 'creator'),
      amount: ctx.amount(text(a, 'total'), a.symbol),
      count: text(a, 'count'),
      split: word(t, 'split', a.split, ['equal', 'random']),
      expires: formatTime(Number(text(a, 'expiresAt')), ctx.locale),
    }),
  'assets.packetClaimed': (a, t, ctx) =>
    t(e('assets.packetClaimed'), {
      claimer: text(a, 'claimer'),
      amount: ctx.amount(text(a, 'amount'), a.symbol),
      left: text(a, 'sharesLeft'),
    }),
  'assets.packetRefunded': (a, t, ctx) =>
    t(e('assets.packetRefunded'), {
      creator: text(a, 'creator'),
      amount: ctx.amount(text(a, 'amount'), a.symbol),
    }),

  'identity.registered': (a, t) =>
    t(e('identity.registered'), { address: text(a, 'address'), kind: word(t, 'kind', a.kind, KINDS) }),
  'identity.attested': (a, t) =>
    t(e('identity.attested'), {
      by: text(a, 'by'),
      subject: text(a, 'subject'),
      kind: word(t, 'kind', a.kind, KINDS),
    }),
  'identity.attestationRevoked': (a, t) =>
    t(e('identity.attestationRevoked'), {
      by: text(a, 'by'),
      subject: text(a, 'subject'),
      reason: text(a, 'reason'),
    }),
  'identity.roleGranted': (a, t) =>
    t(e('identity.roleGranted'), {
      by: text(a, 'by'),
      subject: text(a, 'subject'),
      app: text(a, 'app'),
      role: text(a, 'role'),
    }),
  'identity.roleRevoked': (a, t) =>
    t(e('identity.roleRevoked'), {
      by: text(a, 'by'),
      subject: text(a, 'subject'),
      app: text(a, 'app'),
      role: text(a, 'role'),
      reason: text(a, 'reason'),
    }),
  'identity.keyRotated': (a, t) =>
    t(e('identity.keyRotated'), { address: text(a, 'address'), key: text(a, 'key') }),

  'notary.anchored': (a, t) =>
    t(e('notary.anchored'), { by: text(a, 'by'), hash: text(a, 'hash'), type: text(a, 'type') }),

  'governance.proposed': (a, t) =>
    t(e('governance.proposed'), {
      proposer: text(a, 'proposer'),
      kind: text(a, 'kind'),
      id: text(a, 'id'),
      deadline: text(a, 'deadline'),
    }),
  'governance.voted': (a, t) =>
    t(a.approve === true ? e('governance.votedYes') : e('governance.votedNo'), {
      voter: text(a, 'voter'),
      id: text(a, 'id'),
      power: text(a, 'power'),
    }),
  'governance.passed': (a, t) =>
    t(e('governance.passed'), {
      id: text(a, 'id'),
      kind: text(a, 'kind'),
      yes: text(a, 'yes'),
      total: text(a, 'total'),
    }),
  'governance.rejected': (a, t) =>
    t(e('governance.rejected'), {
      id: text(a, 'id'),
      kind: text(a, 'kind'),
      no: text(a, 'no'),
      total: text(a, 'total'),
    }),
  'governance.expired': (a, t) =>
    t(e('governance.expired'), { id: text(a, 'id'), kind: text(a, 'kind'), deadline: text(a, 'deadline') }),
  'governance.validatorSetChanged': (a, t) => {
    if (!Array.isArray(a.validators)) throw new Error('validators is missing');
    return t(e('governance.validatorSetChanged'), {
      change: text(a, 'change'),
      height: text(a, 'height'),
      count: a.validators.length,
    });
  },
  'governance.authorityGranted': (a, t) => {
    if (!Array.isArray(a.scopes)) throw new Error('scopes is missing');
    return t(e('governance.authorityGranted'), {
      address: text(a, 'address'),
      name: text(a, 'name'),
      scopes: a.scopes.join(', '),
    });
  },
  'governance.authorityRevoked': (a, t) =>
    t(e('governance.authorityRevoked'), { address: text(a, 'address') }),
  'governance.contractActivated': (a, t) =>
    t(e('governance.contractActivated'), {
      contract: text(a, 'contract'),
      version: text(a, 'version'),
      height: text(a, 'height'),
    }),
  'governance.paramChanged': (a, t) =>
    a.value === null
      ? t(e('governance.paramRemoved'), { name: text(a, 'name') })
      : t(e('governance.paramChanged'), { name: text(a, 'name'), value: JSON.stringify(a.value) }),
};

/** Core actions the ui kit leaves undecoded. */
export const coreActionDecoders: Record<string, ActionDecoder> = {
  'identity.revokeAttestation': (p, t) =>
    t('explorer.actions.revokeAttestation', { subject: text(p, 'subject'), reason: text(p, 'reason') }),
  'governance.propose': (p, t) =>
    t('explorer.actions.propose', { kind: text(p, 'kind'), payload: JSON.stringify(p.payload ?? null) }),
  'governance.vote': (p, t) =>
    t(p.approve === true ? 'explorer.actions.voteYes' : 'explorer.actions.voteNo', { id: text(p, 'id') }),
  'governance.expire': (p, t) => t('explorer.actions.expire', { id: text(p, 'id') }),
};

export function registerCoreDecoders(): void {
  for (const [key, decoder] of Object.entries(coreEventDecoders)) registerEventDecoder(key, decoder);
  for (const [key, decoder] of Object.entries(coreActionDecoders)) registerActionDecoder(key, decoder);
}
