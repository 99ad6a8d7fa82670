// How each core contract event changes the explorer's mutable read models (assets, balances, DIDs), by
// `<contract>.<event>`. Every event also lands in `events` and in the activity of each account it names
// (apply.ts), so events without a reducer here — governance, notary, red packets, app contracts — are still
// searchable by account; a reducer is needed only to keep a summary such as a balance or a role list.
import type { ChainEventJson } from '@gongxin/app-kit';
import type { JsonValue } from '@gongxin/ledger';
import type { BlockState } from './state';

export type Reducer = (event: ChainEventJson, state: BlockState) => void;

type Attrs = Record<string, JsonValue>;

const attrsOf = (event: ChainEventJson): Attrs =>
  event.attrs !== null && typeof event.attrs === 'object' && !Array.isArray(event.attrs)
    ? (event.attrs as Attrs)
    : {};

function text(event: ChainEventJson, key: string): string {
  const value = attrsOf(event)[key];
  if (typeof value !== 'string')
    throw new Error(`${event.contract}.${event.name}: attribute ${key} is not text`);
  return value;
}

/** Amounts arrive as numbers when small and decimal strings when large (docs/api.md). */
function amount(event: ChainEventJson, key: string): bigint {
  const value = attrsOf(event)[key];
  if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value))) return BigInt(value);
  throw new Error(`${event.contract}.${event.name}: attribute ${key} is not an integer`);
}

function setSupply(state: BlockState, event: ChainEventJson): void {
  state.touchAsset(text(event, 'symbol')).supply = amount(event, 'supply');
}

export const coreReducers: Record<string, Reducer> = {
  'assets.issued': (event, state) => {
    const asset = state.touchAsset(text(event, 'symbol'));
    asset.name = text(event, 'name');
    asset.decimals = Number(amount(event, 'decimals'));
    asset.issuer = text(event, 'issuer');
    asset.policy = text(event, 'policy');
    asset.issuedHeight = state.height;
    asset.issuedTx = event.txId;
  },
  'assets.minted': (event, state) => {
    state.move('mint', text(event, 'symbol'), null, text(event, 'to'), amount(event, 'amount'), event);
    setSupply(state, event);
  },
  'assets.transferred': (event, state) =>
    state.move(
      'transfer',
      text(event, 'symbol'),
      text(event, 'from'),
      text(event, 'to'),
      amount(event, 'amount'),
      event,
    ),
  'assets.burned': (event, state) => {
    state.move('burn', text(event, 'symbol'), text(event, 'from'), null, amount(event, 'amount'), event);
    setSupply(state, event);
  },
  'assets.locked': (event, state) =>
    state.move('lock', text(event, 'symbol'), text(event, 'from'), null, amount(event, 'amount'), event),
  'assets.unlocked': (event, state) =>
    state.move('unlock', text(event, 'symbol'), null, text(event, 'to'), amount(event, 'amount'), event),

  'identity.registered': (event, state) => {
    const address = text(event, 'address');
    const did = state.did(address);
    did.kind = text(event, 'kind');
    did.registeredHeight = state.height;
    did.registeredTx = event.txId;
    state.recordHistory(address, event);
  },
  'identity.attested': (event, state) => {
    const subject = text(event, 'subject');
    const did = state.did(subject);
    did.attestation = 'live';
    did.attestedBy = text(event, 'by');
    did.attestedHeight = state.height;
    state.recordHistory(subject, event);
  },
  'identity.attestationRevoked': (event, state) => {
    const subject = text(event, 'subject');
    state.did(subject).attestation = 'revoked';
    state.recordHistory(subject, event);
  },
  'identity.roleGranted': (event, state) => {
    const subject = text(event, 'subject');
    const did = state.did(subject);
    const role = `${text(event, 'app')}/${text(event, 'role')}`;
    if (!did.roles.includes(role)) did.roles = [...did.roles, role].sort();
    state.recordHistory(subject, event);
  },
  'identity.roleRevoked': (event, state) => {
    const subject = text(event, 'subject');
    const did = state.did(subject);
    const role = `${text(event, 'app')}/${text(event, 'role')}`;
    did.roles = did.roles.filter((r) => r !== role);
    state.recordHistory(subject, event);
  },
  'identity.keyRotated': (event, state) => {
    const address = text(event, 'address');
    state.did(address).keyRotations += 1;
    state.recordHistory(address, event);
  },
};
