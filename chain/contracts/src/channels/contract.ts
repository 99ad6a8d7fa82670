// Channels: the on-chain side of the superconducting network (chain/channels runs the off-chain side).
// Two accounts escrow deposits in one or more assets (moved into the assets contract's locked pool under
// `channel:<id>`), pay each other off chain with balance proofs, and come back here only to close:
//
//   - cooperatively, with both signatures over the final amounts: paid out at once;
//   - unilaterally: the closer submits the balance proofs it holds and a dispute window (block time, ms;
//     blocks are final, so no confirmations are waited for) opens; anyone may answer with a newer proof
//     (a higher nonce of the same sender) until the deadline (a watcher defends an offline party this way);
//     after the deadline, and after every submitted lock has expired, anyone settles and each party
//     withdraws what it is owed.
//
// Hash locks settle through one global preimage registry: a preimage revealed here at or before a lock's
// expiry pays that lock on every hop of a payment, whichever channels close and whenever they do, so no
// upstream channel has to close because a downstream one is stuck.
//
// Per channel and asset, always: deposits = balances + locked, and once settled, deposits = payouts.
import {
  type Address,
  addressFromPublicKey,
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
  fromHex,
  type StateReader,
  toHex,
  type Value,
} from '@gongxin/ledger';
import { z } from 'zod';
import { lock, unlock } from '../assets/library';
import {
  actionId,
  addAmounts,
  amountOf,
  checkAmount,
  zAddress,
  zAmount,
  zBytes,
  zHash32,
  zSymbol,
} from '../common';
import { channelsEvents } from './events';
import {
  type BalanceProof,
  balanceProofBytes,
  closeBytes,
  countersignBytes,
  hashlockOf,
  type Lock,
  locksRootOf,
  sumLocks,
} from './proofs';

/** Shortest and longest dispute window a channel may choose. */
export const MIN_DISPUTE_MS = 1_000;
export const MAX_DISPUTE_MS = 30 * 24 * 3600_000;
/** Most assets one channel holds. */
export const MAX_CHANNEL_ASSETS = 8;
/** Most pending locks one balance proof may carry (Lightning allows 483 per commitment). */
export const MAX_LOCKS = 128;
/** A lock may not expire later than this after the proof carrying it reaches the chain. */
export const MAX_LOCK_MS = 7 * 24 * 3600_000;
/** Longest preimage the registry takes. */
export const MAX_PREIMAGE_BYTES = 64;

export type ChannelStatus = 'open' | 'closing' | 'settled';
export type ChannelSide = 'a' | 'b';

export type ChannelAsset = { readonly depositA: bigint; readonly depositB: bigint };

/** The newest balance proof of one side in one asset, as the channel will settle on it. */
export type ProofRecord = {
  readonly nonce: number;
  readonly transferred: bigint;
  readonly locked: bigint;
  readonly locks: readonly Lock[];
};

/** How one asset was split. deposits = balances + locked = payouts. */
export type ChannelSettlement = {
  readonly depositA: bigint;
  readonly depositB: bigint;
  readonly balanceA: bigint;
  readonly balanceB: bigint;
  /** Locked in a's payments to b, resp. b's to a. */
  readonly lockedA: bigint;
  readonly lockedB: bigint;
  readonly payoutA: bigint;
  readonly payoutB: bigint;
};

export type Channel = {
  readonly id: string;
  /** The opener. */
  readonly a: Address;
  readonly b: Address;
  readonly aKey: Uint8Array;
  readonly bKey: Uint8Array;
  readonly disputeMs: number;
  readonly status: ChannelStatus;
  readonly openedAt: number;
  readonly assets: { readonly [symbol: string]: ChannelAsset };
  readonly closing?: {
    readonly by: Address;
    readonly at: number;
    readonly deadline: number;
    /** Keyed `<symbol>/<side>`. */
    readonly proofs: { readonly [key: string]: ProofRecord };
  };
  readonly settled?: { readonly [symbol: string]: ChannelSettlement };
  readonly withdrawnA?: boolean;
  readonly withdrawnB?: boolean;
};

export type Preimage = {
  readonly preimage: Uint8Array;
  readonly by: Address;
  readonly time: number;
  readonly at: number;
};

export const channelKeys = {
  channel: (id: string) => `channels/channel/${id}`,
  preimage: (hashlock: string) => `channels/preimage/${hashlock}`,
} as const;

export function channelOf(state: StateReader, id: string): Channel | undefined {
  const raw = state.get(channelKeys.channel(id)) as Channel | undefined;
  if (!raw) return undefined;
  // Amounts may come back as numbers from a reloaded state.
  const assets: Record<string, ChannelAsset> = {};
  for (const [s, a] of Object.entries(raw.assets))
    assets[s] = { depositA: amountOf(a.depositA as Value), depositB: amountOf(a.depositB as Value) };
  return { ...raw, assets };
}

export function preimageOf(state: StateReader, hashlock: string): Preimage | undefined {
  return state.get(channelKeys.preimage(hashlock.toLowerCase())) as Preimage | undefined;
}

/** Whether a lock pays its receiver: its preimage reached the chain no later than its expiry. */
export function lockPays(state: StateReader, l: Lock): boolean {
  const revealed = preimageOf(state, l.hashlock);
  return revealed !== undefined && revealed.time <= l.expiry;
}

const proofKey = (symbol: string, side: ChannelSide) => `${symbol}/${side}`;

/**
 * The split of one asset: what each side's newest proof leaves it, clamped so that a side that signed away
 * more than it had cannot take from the other, and every lock resolved by the preimage registry.
 */
export function settleAsset(
  state: StateReader,
  asset: ChannelAsset,
  proofA: ProofRecord | undefined,
  proofB: ProofRecord | undefined,
): ChannelSettlement {
  const total = asset.depositA + asset.depositB;
  const tA = amountOf(proofA?.transferred as Value);
  const tB = amountOf(proofB?.transferred as Value);
  let availA = asset.depositA + tB - tA;
  if (availA < 0n) availA = 0n;
  if (availA > total) availA = total;
  const availB = total - availA;
  const lockedA = min(amountOf(proofA?.locked as Value), availA);
  const lockedB = min(amountOf(proofB?.locked as Value), availB);
  const resolve = (pool: bigint, locks: readonly Lock[]) => {
    let toReceiver = 0n;
    let left = pool;
    for (const l of locks) {
      const amount = min(amountOf(l.amount as Value), left);
      left -= amount;
      if (lockPays(state, l)) toReceiver += amount;
    }
    return { toReceiver, toSender: pool - toReceiver };
  };
  const fromA = resolve(lockedA, proofA?.locks ?? []);
  const fromB = resolve(lockedB, proofB?.locks ?? []);
  const balanceA = availA - lockedA;
  const balanceB = availB - lockedB;
  return {
    depositA: asset.depositA,
    depositB: asset.depositB,
    balanceA,
    balanceB,
    lockedA,
    lockedB,
    payoutA: balanceA + fromA.toSender + fromB.toReceiver,
    payoutB: balanceB + fromB.toSender + fromA.toReceiver,
  };
}

const min = (x: bigint, y: bigint) => (x < y ? x : y);

// ------------------------------------------------------------------------------------------ params

const zDeposits = z
  .array(z.object({ symbol: zSymbol, amount: zAmount }).strict())
  .min(1, 'at least one deposit')
  .max(MAX_CHANNEL_ASSETS, `at most ${MAX_CHANNEL_ASSETS} assets`)
  .refine((d) => new Set(d.map((x) => x.symbol)).size === d.length, 'one deposit per asset');

const zChannelId = z
  .string()
  .regex(/^[0-9a-f]{64}(:[0-9]{1,2})?$/, 'a channel id is a tx id (and action index)');

const zNonNegative = z
  .union([z.number().int(), z.bigint()])
  .transform((v) => BigInt(v))
  .refine((v) => v >= 0n, 'must not be negative');

const zLock = z
  .object({
    amount: zAmount,
    hashlock: zHash32,
    expiry: z.number().int().nonnegative(),
  })
  .strict();

const zProof = z
  .object({
    symbol: zSymbol,
    side: z.enum(['a', 'b']),
    nonce: z.number().int().min(1),
    transferred: zNonNegative,
    locked: zNonNegative,
    locksRoot: zHash32,
    batchRoot: zHash32,
    signature: zBytes,
    /** The receiver's countersignature; needed unless the receiver submits the proof itself. */
    countersignature: zBytes.optional(),
    locks: z.array(zLock).max(MAX_LOCKS).default([]),
  })
  .strict();

const zProofs = z
  .array(zProof)
  .min(1)
  .max(2 * MAX_CHANNEL_ASSETS);

type ProofParams = z.output<typeof zProof>;

// ------------------------------------------------------------------------------------------ helpers

function requireChannel(ctx: ContractContext, id: string): Channel {
  const channel = channelOf(ctx, id);
  if (!channel) throw new ContractError('not_found', `no channel ${id}`);
  return channel;
}

function sideOf(channel: Channel, address: Address): ChannelSide | null {
  return address === channel.a ? 'a' : address === channel.b ? 'b' : null;
}

function requireParty(channel: Channel, address: Address): ChannelSide {
  const side = sideOf(channel, address);
  if (!side) throw new ContractError('not_authorized', `${address} is not a party to channel ${channel.id}`);
  return side;
}

function save(ctx: ContractContext, channel: Channel): void {
  ctx.set(channelKeys.channel(channel.id), channel as unknown as Value);
}

const ref = (id: string) => `channel:${id}`;

function deposit(
  ctx: ContractContext,
  channel: Channel,
  side: ChannelSide,
  deposits: readonly { symbol: string; amount: bigint }[],
): Channel {
  const assets: Record<string, ChannelAsset> = { ...channel.assets };
  for (const { symbol, amount } of deposits) {
    checkAmount(amount, 'deposit');
    const current = assets[symbol] ?? { depositA: 0n, depositB: 0n };
    if (!assets[symbol] && Object.keys(assets).length >= MAX_CHANNEL_ASSETS)
      throw new ContractError('limit_exceeded', `a channel holds at most ${MAX_CHANNEL_ASSETS} assets`);
    lock(ctx, symbol, ctx.sender, amount, ref(channel.id));
    const next =
      side === 'a'
        ? { ...current, depositA: addAmounts(current.depositA, amount, 'deposit') }
        : { ...current, depositB: addAmounts(current.depositB, amount, 'deposit') };
    addAmounts(next.depositA, next.depositB, `deposits of ${symbol}`);
    assets[symbol] = next;
    channelsEvents.emit(ctx, 'deposited', {
      id: channel.id,
      by: ctx.sender,
      symbol,
      amount,
      total: side === 'a' ? next.depositA : next.depositB,
    });
  }
  return { ...channel, assets };
}

/** Checks a submitted proof against the channel and its sender's key; returns it as the record to keep. */
function checkProof(ctx: ContractContext, channel: Channel, p: ProofParams): ProofRecord {
  if (!channel.assets[p.symbol])
    throw new ContractError('not_found', `channel ${channel.id} holds no ${p.symbol}`);
  checkAmount(p.transferred, 'transferred');
  checkAmount(p.locked, 'locked');
  const locks: Lock[] = p.locks.map((l) => ({ amount: l.amount, hashlock: l.hashlock, expiry: l.expiry }));
  if (sumLocks(locks) !== p.locked)
    throw new ContractError('invalid_params', `the locks of ${p.symbol}/${p.side} do not add up to locked`);
  if (toHex(locksRootOf(ctx.suite, locks)) !== p.locksRoot)
    throw new ContractError('invalid_params', `the locks of ${p.symbol}/${p.side} do not match locksRoot`);
  for (const l of locks)
    if (l.expiry > ctx.time + MAX_LOCK_MS)
      throw new ContractError('limit_exceeded', `a lock expires more than ${MAX_LOCK_MS} ms from now`);
  const bytes = balanceProofBytes(proofOf(ctx, channel, p));
  const key = p.side === 'a' ? channel.aKey : channel.bKey;
  if (!ctx.suite.verify(p.signature, bytes, key))
    throw new ContractError(
      'not_authorized',
      `the proof of ${p.symbol}/${p.side} is not signed by its sender`,
    );
  const receiver = p.side === 'a' ? channel.b : channel.a;
  if (ctx.sender !== receiver) {
    const receiverKey = p.side === 'a' ? channel.bKey : channel.aKey;
    const counter = countersignBytes(proofOf(ctx, channel, p));
    if (!p.countersignature || !ctx.suite.verify(p.countersignature, counter, receiverKey))
      throw new ContractError(
        'not_authorized',
        `the proof of ${p.symbol}/${p.side} is submitted by ${ctx.sender}, not its receiver, without the receiver's countersignature`,
      );
  }
  return { nonce: p.nonce, transferred: p.transferred, locked: p.locked, locks };
}

function proofOf(ctx: ContractContext, channel: Channel, p: ProofParams): BalanceProof {
  return {
    chain: ctx.chainId,
    channel: channel.id,
    asset: p.symbol,
    nonce: p.nonce,
    transferred: p.transferred,
    locked: p.locked,
    locksRoot: fromHex(p.locksRoot),
    batchRoot: fromHex(p.batchRoot),
  };
}

/** Takes every proof newer than the one kept for its asset and side; returns how many it took. */
function acceptProofs(
  ctx: ContractContext,
  channel: Channel,
  proofs: readonly ProofParams[],
): { channel: Channel; accepted: number } {
  const closing = channel.closing!;
  const kept: Record<string, ProofRecord> = { ...closing.proofs };
  let accepted = 0;
  for (const p of proofs) {
    const record = checkProof(ctx, channel, p);
    const key = proofKey(p.symbol, p.side);
    if ((kept[key]?.nonce ?? 0) >= record.nonce) continue;
    kept[key] = record;
    accepted++;
    channelsEvents.emit(ctx, 'proofAccepted', {
      id: channel.id,
      symbol: p.symbol,
      side: p.side,
      nonce: record.nonce,
      transferred: record.transferred,
      locked: record.locked,
      by: ctx.sender,
    });
  }
  return { channel: { ...channel, closing: { ...closing, proofs: kept } }, accepted };
}

function payOut(ctx: ContractContext, channel: Channel, side: ChannelSide): void {
  const to = side === 'a' ? channel.a : channel.b;
  for (const [symbol, s] of Object.entries(channel.settled ?? {})) {
    const amount = amountOf((side === 'a' ? s.payoutA : s.payoutB) as Value);
    if (amount > 0n) unlock(ctx, symbol, to, amount, ref(channel.id));
    channelsEvents.emit(ctx, 'withdrawn', { id: channel.id, by: to, symbol, amount });
  }
}

// ------------------------------------------------------------------------------------------ contract

export const channelsContract: ContractModule = {
  name: 'channels',
  version: 1,
  actions: {
    /** Opens a channel from the sender to `peer` (whose key must match its address) with deposits. */
    open: defineAction(
      z
        .object({
          peer: zAddress,
          peerKey: zBytes,
          disputeMs: z.number().int().min(MIN_DISPUTE_MS).max(MAX_DISPUTE_MS),
          deposits: zDeposits,
        })
        .strict(),
      (ctx, { peer, peerKey, disputeMs, deposits }) => {
        if (peer === ctx.sender) throw new ContractError('not_allowed', 'a channel needs two accounts');
        if (peerKey.length !== ctx.suite.publicKeyLength || addressFromPublicKey(ctx.suite, peerKey) !== peer)
          throw new ContractError('invalid_params', `peerKey is not the key of ${peer}`);
        const id = actionId(ctx);
        if (channelOf(ctx, id)) throw new ContractError('already_exists', `channel ${id} exists`);
        let channel: Channel = {
          id,
          a: ctx.sender,
          b: peer,
          aKey: ctx.senderKey,
          bKey: peerKey,
          disputeMs,
          status: 'open',
          openedAt: ctx.time,
          assets: {},
        };
        channelsEvents.emit(ctx, 'opened', { id, a: ctx.sender, b: peer, disputeMs });
        channel = deposit(ctx, channel, 'a', deposits);
        save(ctx, channel);
      },
    ),

    /** Tops up an open channel: either party, in assets it holds already or new ones. */
    deposit: defineAction(z.object({ channel: zChannelId, deposits: zDeposits }).strict(), (ctx, p) => {
      const channel = requireChannel(ctx, p.channel);
      const side = requireParty(channel, ctx.sender);
      if (channel.status !== 'open')
        throw new ContractError('not_allowed', `channel ${channel.id} is ${channel.status}`);
      save(ctx, deposit(ctx, channel, side, p.deposits));
    }),

    /** Both parties' signatures over the final amounts: settled and paid out at once. */
    cooperativeClose: defineAction(
      z
        .object({
          channel: zChannelId,
          balances: z
            .array(z.object({ symbol: zSymbol, a: zNonNegative, b: zNonNegative }).strict())
            .min(1)
            .max(MAX_CHANNEL_ASSETS),
          signatureA: zBytes,
          signatureB: zBytes,
        })
        .strict(),
      (ctx, p) => {
        const channel = requireChannel(ctx, p.channel);
        if (channel.status !== 'open')
          throw new ContractError('not_allowed', `channel ${channel.id} is ${channel.status}`);
        const symbols = Object.keys(channel.assets).sort();
        if (
          p.balances
            .map((b) => b.symbol)
            .sort()
            .join(',') !== symbols.join(',')
        )
          throw new ContractError('invalid_params', `balances must name exactly ${symbols.join(', ')}`);
        const settled: Record<string, ChannelSettlement> = {};
        for (const b of p.balances) {
          const asset = channel.assets[b.symbol]!;
          if (b.a + b.b !== asset.depositA + asset.depositB)
            throw new ContractError(
              'invalid_params',
              `${b.symbol}: ${b.a} + ${b.b} is not the channel's ${asset.depositA + asset.depositB}`,
            );
          settled[b.symbol] = {
            depositA: asset.depositA,
            depositB: asset.depositB,
            balanceA: b.a,
            balanceB: b.b,
            lockedA: 0n,
            lockedB: 0n,
            payoutA: b.a,
            payoutB: b.b,
          };
        }
        const bytes = closeBytes(ctx.chainId, channel.id, p.balances);
        if (
          !ctx.suite.verify(p.signatureA, bytes, channel.aKey) ||
          !ctx.suite.verify(p.signatureB, bytes, channel.bKey)
        )
          throw new ContractError('not_authorized', 'a cooperative close needs both parties’ signatures');
        const done: Channel = { ...channel, status: 'settled', settled, withdrawnA: true, withdrawnB: true };
        for (const [symbol, s] of Object.entries(settled))
          channelsEvents.emit(ctx, 'settled', {
            id: channel.id,
            symbol,
            mode: 'cooperative',
            a: s.payoutA,
            b: s.payoutB,
          });
        payOut(ctx, done, 'a');
        payOut(ctx, done, 'b');
        save(ctx, done);
      },
    ),

    /** A party closes alone with the proofs it holds; the dispute window starts. */
    close: defineAction(
      z.object({ channel: zChannelId, proofs: z.array(zProof).max(2 * MAX_CHANNEL_ASSETS) }).strict(),
      (ctx, p) => {
        const channel = requireChannel(ctx, p.channel);
        requireParty(channel, ctx.sender);
        if (channel.status !== 'open')
          throw new ContractError('not_allowed', `channel ${channel.id} is ${channel.status}`);
        const deadline = ctx.time + channel.disputeMs;
        const closing: Channel = {
          ...channel,
          status: 'closing',
          closing: { by: ctx.sender, at: ctx.time, deadline, proofs: {} },
        };
        channelsEvents.emit(ctx, 'closing', { id: channel.id, by: ctx.sender, deadline });
        save(ctx, acceptProofs(ctx, closing, p.proofs).channel);
      },
    ),

    /** Anyone answers a close with newer proofs before the deadline (the watcher's action). */
    challenge: defineAction(z.object({ channel: zChannelId, proofs: zProofs }).strict(), (ctx, p) => {
      const channel = requireChannel(ctx, p.channel);
      if (channel.status !== 'closing' || !channel.closing)
        throw new ContractError('not_allowed', `channel ${channel.id} is ${channel.status}, not closing`);
      if (ctx.time >= channel.closing.deadline)
        throw new ContractError(
          'expired',
          `the dispute window of ${channel.id} ended at ${channel.closing.deadline}`,
        );
      const { channel: updated, accepted } = acceptProofs(ctx, channel, p.proofs);
      if (accepted === 0) throw new ContractError('not_allowed', 'no proof is newer than the ones submitted');
      save(ctx, updated);
    }),

    /** Records a preimage: every lock on its hash expiring now or later pays its receiver. */
    revealPreimage: defineAction(
      z
        .object({
          preimage: zBytes.refine(
            (b) => b.length >= 1 && b.length <= MAX_PREIMAGE_BYTES,
            `1–${MAX_PREIMAGE_BYTES} bytes`,
          ),
        })
        .strict(),
      (ctx, { preimage }) => {
        const hashlock = hashlockOf(ctx.suite, preimage);
        const known = preimageOf(ctx, hashlock);
        if (known)
          throw new ContractError(
            'already_exists',
            `the preimage of ${hashlock} was revealed at ${known.time}`,
          );
        ctx.set(channelKeys.preimage(hashlock), { preimage, by: ctx.sender, time: ctx.time, at: ctx.height });
        channelsEvents.emit(ctx, 'preimageRevealed', { hashlock, by: ctx.sender, time: ctx.time });
      },
    ),

    /** After the deadline and the last submitted lock's expiry: fixes what each party is owed. */
    settle: defineAction(z.object({ channel: zChannelId }).strict(), (ctx, p) => {
      const channel = requireChannel(ctx, p.channel);
      const closing = channel.closing;
      if (channel.status !== 'closing' || !closing)
        throw new ContractError('not_allowed', `channel ${channel.id} is ${channel.status}, not closing`);
      let until = closing.deadline;
      for (const proof of Object.values(closing.proofs))
        for (const l of proof.locks) if (l.expiry + 1 > until) until = l.expiry + 1;
      if (ctx.time < until)
        throw new ContractError('not_allowed', `channel ${channel.id} can be settled from ${until}`);
      const settled: Record<string, ChannelSettlement> = {};
      for (const [symbol, asset] of Object.entries(channel.assets)) {
        const s = settleAsset(
          ctx,
          asset,
          closing.proofs[proofKey(symbol, 'a')],
          closing.proofs[proofKey(symbol, 'b')],
        );
        settled[symbol] = s;
        channelsEvents.emit(ctx, 'settled', {
          id: channel.id,
          symbol,
          mode: 'dispute',
          a: s.payoutA,
          b: s.payoutB,
        });
      }
      save(ctx, { ...channel, status: 'settled', settled });
    }),

    /** A party takes what a settled channel owes it, in every asset. */
    withdraw: defineAction(z.object({ channel: zChannelId }).strict(), (ctx, p) => {
      const channel = requireChannel(ctx, p.channel);
      const side = requireParty(channel, ctx.sender);
      if (channel.status !== 'settled')
        throw new ContractError('not_allowed', `channel ${channel.id} is ${channel.status}, not settled`);
      if (side === 'a' ? channel.withdrawnA : channel.withdrawnB)
        throw new ContractError('already_exists', `${ctx.sender} has withdrawn from ${channel.id}`);
      payOut(ctx, channel, side);
      save(ctx, side === 'a' ? { ...channel, withdrawnA: true } : { ...channel, withdrawnB: true });
    }),
  },
};
