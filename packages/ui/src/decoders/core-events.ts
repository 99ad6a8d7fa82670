// How the core contracts' events (and the chain's own `core.tx.failed` / `core.tx.rejected`) read in
// words. Attributes come typed from each contract's event catalog, which throws on an event that does not
// fit it: the line then shows the literal JSON rather than a sentence that would hide what is there.
import {
  assetsEvents,
  channelsEvents,
  coreEvents,
  governanceEvents,
  identityEvents,
  notaryEvents,
} from '@gongxin/contracts/events';
import { toHex } from '@gongxin/ledger';
import { formatTime } from '../format/time';
import { calendarDays, proposalKind, scopesInWords } from './governance';
import type { DecodeContext, EventDecoder, Translate } from './registry';

const e = (key: string) => `events.${key}`;

/** A word for a known value (`actions.kind.person`, shared with the action decoders). */
const word = (t: Translate, group: string, value: string) => t(`actions.${group}.${value}`);

function withMemo(t: Translate, sentence: string, memo: string | undefined): string {
  return memo === undefined ? sentence : `${sentence}${t('actions.withMemo', { memo })}`;
}

/** A payment channel's id in a lock's ref (`channel:<id>`), or null for any other ref. */
export function channelOfRef(ref: string): string | null {
  return /^channel:[0-9a-f]{64}(:\d+)?$/.test(ref) ? ref.slice(8) : null;
}

/**
 * A lock's ref in words: a red packet (`packet:<id>`), a payment channel (`channel:<id>`, the channels
 * contract's deposits); other refs (app contracts' locks) as they are.
 */
function lockRef(t: Translate, ref: string): string {
  if (ref.startsWith('packet:')) return t(e('packetRef'), { id: ref.slice(7) });
  const channel = channelOfRef(ref);
  return channel === null ? ref : t(e('channelRef'), { id: channel });
}

/** Bytes (a key) as the explorer shows keys everywhere: lowercase hex without a prefix. */
const hex = (bytes: Uint8Array) => toHex(bytes).toLowerCase();

type Args = [t: Translate, ctx: DecodeContext];

export const coreEventDecoders: Record<string, EventDecoder> = {
  ...coreEvents.decoders<Args, string>({
    'tx.failed': ({ code, message, action }, t) => t(e('core.failed'), { code, message, action: action + 1 }),
    'tx.rejected': ({ code, message }, t) => t(e('core.rejected'), { code, message }),
  }),

  ...assetsEvents.decoders<Args, string>({
    issued: ({ issuer, symbol, name, decimals, policy }, t) =>
      t(e('assets.issued'), { issuer, symbol, name, decimals, policy: word(t, 'policy', policy) }),
    minted: ({ symbol, amount, to, supply }, t, ctx) =>
      t(e('assets.minted'), { amount: ctx.amount(amount, symbol), to, supply: ctx.amount(supply, symbol) }),
    transferred: ({ symbol, from, to, amount, memo }, t, ctx) =>
      withMemo(t, t(e('assets.transferred'), { from, to, amount: ctx.amount(amount, symbol) }), memo),
    burned: ({ symbol, from, amount, supply }, t, ctx) =>
      t(e('assets.burned'), {
        from,
        amount: ctx.amount(amount, symbol),
        supply: ctx.amount(supply, symbol),
      }),
    frozen: ({ by, symbol, account, reason }, t) => t(e('assets.frozen'), { by, symbol, account, reason }),
    unfrozen: ({ by, symbol, account, reason }, t) =>
      t(e('assets.unfrozen'), { by, symbol, account, reason }),
    locked: ({ symbol, from, amount, ref }, t, ctx) =>
      t(e(channelOfRef(ref) === null ? 'assets.locked' : 'assets.lockedInChannel'), {
        from,
        amount: ctx.amount(amount, symbol),
        ref: lockRef(t, ref),
      }),
    unlocked: ({ symbol, to, amount, ref }, t, ctx) =>
      t(e('assets.unlocked'), { to, amount: ctx.amount(amount, symbol), ref: lockRef(t, ref) }),
    packetCreated: ({ creator, symbol, total, count, split, expiresAt }, t, ctx) =>
      t(e('assets.packetCreated'), {
        creator,
        amount: ctx.amount(total, symbol),
        count,
        split: word(t, 'split', split),
        expires: formatTime(expiresAt, ctx.locale),
      }),
    packetClaimed: ({ claimer, symbol, amount, sharesLeft }, t, ctx) =>
      t(e('assets.packetClaimed'), { claimer, amount: ctx.amount(amount, symbol), left: sharesLeft }),
    packetRefunded: ({ creator, symbol, amount }, t, ctx) =>
      t(e('assets.packetRefunded'), { creator, amount: ctx.amount(amount, symbol) }),
  }),

  ...identityEvents.decoders<Args, string>({
    registered: ({ address, kind }, t) =>
      t(e('identity.registered'), { address, kind: word(t, 'kind', kind) }),
    attested: ({ by, subject, kind }, t) =>
      t(e('identity.attested'), { by, subject, kind: word(t, 'kind', kind) }),
    attestationRevoked: ({ by, subject, reason }, t) =>
      t(e('identity.attestationRevoked'), { by, subject, reason }),
    roleGranted: ({ by, subject, app, role }, t) => t(e('identity.roleGranted'), { by, subject, app, role }),
    roleRevoked: ({ by, subject, app, role, reason }, t) =>
      t(e('identity.roleRevoked'), { by, subject, app, role, reason }),
    keyRotated: ({ address, key }, t) => t(e('identity.keyRotated'), { address, key: hex(key) }),
  }),

  ...notaryEvents.decoders<Args, string>({
    anchored: ({ by, hash, type }, t) => t(e('notary.anchored'), { by, hash, type }),
  }),

  ...governanceEvents.decoders<Args, string>({
    proposed: ({ proposer, kind, id, deadline }, t) =>
      t(e('governance.proposed'), { proposer, kind: proposalKind(kind, t), id, deadline }),
    voted: ({ voter, id, power, approve }, t) =>
      t(approve ? e('governance.votedYes') : e('governance.votedNo'), { voter, id, power }),
    passed: ({ id, kind, yes, total }, t) =>
      t(e('governance.passed'), { id, kind: proposalKind(kind, t), yes, total }),
    rejected: ({ id, kind, no, total }, t) =>
      t(e('governance.rejected'), { id, kind: proposalKind(kind, t), no, total }),
    expired: ({ id, kind, deadline }, t) =>
      t(e('governance.expired'), { id, kind: proposalKind(kind, t), deadline }),
    validatorSetChanged: ({ change, height, validators }, t) =>
      t(e('governance.validatorSetChanged'), {
        change: proposalKind(change, t),
        height,
        count: validators.length,
      }),
    authorityGranted: ({ address, name, scopes }, t, ctx) =>
      t(e('governance.authorityGranted'), { address, name, scopes: scopesInWords(scopes, t, ctx.locale) }),
    authorityRevoked: ({ address }, t) => t(e('governance.authorityRevoked'), { address }),
    contractActivated: ({ contract, version, height }, t) =>
      t(e('governance.contractActivated'), { contract, version, height }),
    calendarSet: ({ year, holidays, workdays }, t, ctx) =>
      t(e('governance.calendarSet'), {
        year,
        holidayCount: holidays.length,
        workdayCount: workdays.length,
        holidays: calendarDays(t, year, holidays, ctx.locale),
        workdays: calendarDays(t, year, workdays, ctx.locale),
      }),
    paramChanged: ({ name, value }, t) =>
      value === null
        ? t(e('governance.paramRemoved'), { name })
        : t(e('governance.paramChanged'), { name, value: JSON.stringify(value) }),
  }),

  ...channelsEvents.decoders<Args, string>({
    opened: ({ id, a, b, disputeMs }, t) =>
      t(e('channels.opened'), { id, a, b, seconds: Math.round(disputeMs / 1000) }),
    deposited: ({ id, by, symbol, amount, total }, t, ctx) =>
      t(e('channels.deposited'), {
        id,
        by,
        amount: ctx.amount(amount, symbol),
        total: ctx.amount(total, symbol),
      }),
    closing: ({ id, by, deadline }, t, ctx) =>
      t(e('channels.closing'), { id, by, deadline: formatTime(deadline, ctx.locale) }),
    proofAccepted: ({ id, symbol, side, nonce, transferred, locked, by }, t, ctx) =>
      t(e('channels.proofAccepted'), {
        id,
        side: side === 'a' || side === 'b' ? t(e(`channels.side.${side}`)) : side,
        nonce,
        transferred: ctx.amount(transferred, symbol),
        locked: ctx.amount(locked, symbol),
        by,
      }),
    preimageRevealed: ({ hashlock, by, time }, t, ctx) =>
      t(e('channels.preimageRevealed'), { hashlock, by, time: formatTime(time, ctx.locale) }),
    settled: ({ id, symbol, mode, a, b }, t, ctx) =>
      t(e(mode === 'cooperative' ? 'channels.settledCooperative' : 'channels.settledDispute'), {
        id,
        a: ctx.amount(a, symbol),
        b: ctx.amount(b, symbol),
      }),
    withdrawn: ({ id, by, symbol, amount }, t, ctx) =>
      t(e('channels.withdrawn'), { id, by, amount: ctx.amount(amount, symbol) }),
  }),
};
