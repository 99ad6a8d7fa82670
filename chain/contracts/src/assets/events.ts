// The assets contract's events (docs/contracts.md, "assets"). Every balance change emits exactly one of
// minted, transferred, burned, locked, unlocked (library.ts): balances.ts follows balances from them.
import { attrs, defineEvents } from '../catalog';

export const ASSET_POLICIES = ['fixed', 'mintable'] as const;
export const PACKET_SPLITS = ['equal', 'random'] as const;

const symbol = attrs.text();
const freeze = { symbol, account: attrs.address(), by: attrs.address(), reason: attrs.text() };

export const assetsEvents = defineEvents('assets', {
  issued: {
    symbol,
    name: attrs.text(),
    decimals: attrs.int(),
    issuer: attrs.address(),
    policy: attrs.oneOf(ASSET_POLICIES),
  },
  /** `supply` is the asset's supply after the event. */
  minted: { symbol, to: attrs.address(), amount: attrs.amount(), supply: attrs.amount() },
  transferred: {
    symbol,
    from: attrs.address(),
    to: attrs.address(),
    amount: attrs.amount(),
    memo: attrs.text().optional(),
  },
  burned: { symbol, from: attrs.address(), amount: attrs.amount(), supply: attrs.amount() },
  frozen: freeze,
  unfrozen: freeze,
  /** Into the asset's locked pool; `ref` names what holds the units (`packet:<id>`). */
  locked: { symbol, from: attrs.address(), amount: attrs.amount(), ref: attrs.text() },
  unlocked: { symbol, to: attrs.address(), amount: attrs.amount(), ref: attrs.text() },
  packetCreated: {
    id: attrs.text(),
    symbol,
    creator: attrs.address(),
    total: attrs.amount(),
    count: attrs.int(),
    split: attrs.oneOf(PACKET_SPLITS),
    expiresAt: attrs.int(),
  },
  packetClaimed: {
    id: attrs.text(),
    symbol,
    claimer: attrs.address(),
    amount: attrs.amount(),
    remaining: attrs.amount(),
    sharesLeft: attrs.int(),
  },
  packetRefunded: { id: attrs.text(), symbol, creator: attrs.address(), amount: attrs.amount() },
});
