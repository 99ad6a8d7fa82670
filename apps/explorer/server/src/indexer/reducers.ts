// How each core contract event changes the explorer's mutable read models (assets, balances, DIDs), by
// `<contract>.<event>`. Every event also lands in `events` and in the activity of each account it names
// (apply.ts), so events without a reducer here — governance, notary, red packets, app contracts — are still
// searchable by account; a reducer is needed only to keep a summary such as a balance or a role list.
import type { ChainEventJson } from '@gongxin/app-kit';
import { assetMoveOf, assetsEvents, BALANCE_EVENTS, identityEvents } from '@gongxin/contracts/events';
import type { BlockState } from './state';

export type Reducer = (event: ChainEventJson, state: BlockState) => void;

// Attributes are read through the contracts' event catalogs (a mismatch throws and stops the indexer at
// the block); balances move through the assets contract's balance reduction, the one the wallet uses.
export const coreReducers: Record<string, Reducer> = {
  ...Object.fromEntries(
    BALANCE_EVENTS.map((name): [string, Reducer] => [
      `assets.${name}`,
      (event, state) => state.move(assetMoveOf(event)!, event),
    ]),
  ),
  ...assetsEvents.handlers<ChainEventJson, [BlockState], void>({
    issued: ({ symbol, name, decimals, issuer, policy }, event, state) => {
      const asset = state.touchAsset(symbol);
      asset.name = name;
      asset.decimals = decimals;
      asset.issuer = issuer;
      asset.policy = policy;
      asset.issuedHeight = state.height;
      asset.issuedTx = event.txId;
    },
  }),

  ...identityEvents.handlers<ChainEventJson, [BlockState], void>({
    registered: ({ address, kind }, event, state) => {
      const did = state.did(address);
      did.kind = kind;
      did.registeredHeight = state.height;
      did.registeredTx = event.txId;
      state.recordHistory(address, event);
    },
    attested: ({ subject, by }, event, state) => {
      const did = state.did(subject);
      did.attestation = 'live';
      did.attestedBy = by;
      did.attestedHeight = state.height;
      state.recordHistory(subject, event);
    },
    attestationRevoked: ({ subject }, event, state) => {
      state.did(subject).attestation = 'revoked';
      state.recordHistory(subject, event);
    },
    roleGranted: ({ subject, app, role }, event, state) => {
      const did = state.did(subject);
      const entry = `${app}/${role}`;
      if (!did.roles.includes(entry)) did.roles = [...did.roles, entry].sort();
      state.recordHistory(subject, event);
    },
    roleRevoked: ({ subject, app, role }, event, state) => {
      const did = state.did(subject);
      const entry = `${app}/${role}`;
      did.roles = did.roles.filter((r) => r !== entry);
      state.recordHistory(subject, event);
    },
    keyRotated: ({ address }, event, state) => {
      state.did(address).keyRotations += 1;
      state.recordHistory(address, event);
    },
  }),
};
