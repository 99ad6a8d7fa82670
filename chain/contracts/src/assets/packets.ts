// Red packets (红包): a creator locks an amount to be shared among the first `count` claimers, in equal
// shares or in random ones drawn from the block's entropy, and takes back what is left after expiry.
// Packets must never pay out more or less than their total, never pay one address twice, and never
// leave locked units that no open packet accounts for.
import { type ContractContext, ContractError } from '@gongxin/ledger';
import { z } from 'zod';
import { actionId, zAmount, zMemo, zSymbol } from '../common';
import { assetsEvents } from './events';
import { lock, unlock } from './library';
import { assetKeys, type Packet, packetOf } from './views';

export const MAX_PACKET_SHARES = 1000;
export const MAX_PACKET_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

const zPacketId = z
  .string()
  .regex(/^[0-9a-f]{64}(:[0-9]{1,2})?$/, 'a packet id is a tx id, optionally with :<action index>');

export const zCreatePacket = z
  .object({
    symbol: zSymbol,
    total: zAmount,
    count: z.number().int().min(1).max(MAX_PACKET_SHARES),
    split: z.enum(['equal', 'random']),
    expiresAt: z.number().int(),
    memo: zMemo.optional(),
  })
  .strict();

export const zPacketRef = z.object({ id: zPacketId }).strict();

/** A uniform integer in [1, max] from 32 bytes of entropy (bias below 2^-190, since max < 2^63). */
function drawShare(entropy: Uint8Array, max: bigint): bigint {
  let n = 0n;
  for (const byte of entropy) n = (n << 8n) | BigInt(byte);
  return 1n + (n % max);
}

/**
 * What the next claimer receives. Equal: total / count, the last claimer also gets the remainder of
 * the division. Random ("double the mean"): with R left for n claimers, the last gets R, the others a
 * uniform amount in [1, min(2R/n, R − (n − 1))], so every later claimer can still get at least 1.
 * The draw is only as unpredictable as the ledger's entropy (parent hash, tx id): a claimer who knows
 * which block will include its tx can grind its tx id for a larger share.
 */
export function nextShare(packet: Packet, draw: () => Uint8Array): bigint {
  const left = packet.count - packet.claims.length;
  if (left === 1) return packet.remaining;
  if (packet.split === 'equal') return packet.total / BigInt(packet.count);
  const n = BigInt(left);
  const mean2 = (2n * packet.remaining) / n;
  const room = packet.remaining - (n - 1n);
  return drawShare(draw(), mean2 < room ? mean2 : room);
}

const packetRef = (id: string) => `packet:${id}`;

function requirePacket(ctx: ContractContext, id: string): Packet {
  const packet = packetOf(ctx, id);
  if (!packet) throw new ContractError('not_found', `no red packet ${id}`);
  return packet;
}

export function createPacket(ctx: ContractContext, params: z.output<typeof zCreatePacket>): void {
  const { symbol, total, count, split, expiresAt, memo } = params;
  if (total < BigInt(count)) {
    throw new ContractError(
      'invalid_params',
      `a total of ${total} cannot give each of ${count} claimers at least 1 unit`,
    );
  }
  if (expiresAt <= ctx.time)
    throw new ContractError(
      'invalid_params',
      `expiresAt ${expiresAt} is not after the block time ${ctx.time}`,
    );
  if (expiresAt > ctx.time + MAX_PACKET_LIFETIME_MS) {
    throw new ContractError('limit_exceeded', 'a red packet expires at most 30 days after it is created');
  }
  const id = actionId(ctx);
  lock(ctx, symbol, ctx.sender, total, packetRef(id));
  const packet: Packet = {
    id,
    symbol,
    creator: ctx.sender,
    total,
    count,
    split,
    remaining: total,
    claims: [],
    expiresAt,
    ...(memo !== undefined && { memo }),
    status: 'open',
    createdAt: ctx.height,
  };
  ctx.set(assetKeys.packet(id), packet);
  assetsEvents.emit(ctx, 'packetCreated', {
    id,
    symbol,
    creator: ctx.sender,
    total,
    count,
    split,
    expiresAt,
  });
}

export function claimPacket(ctx: ContractContext, id: string): void {
  const packet = requirePacket(ctx, id);
  if (packet.status === 'emptied')
    throw new ContractError('limit_exceeded', `all ${packet.count} shares of red packet ${id} are taken`);
  if (packet.status === 'refunded' || ctx.time >= packet.expiresAt) {
    throw new ContractError('expired', `red packet ${id} expired at ${packet.expiresAt}`);
  }
  if (packet.claims.some((c) => c.address === ctx.sender)) {
    throw new ContractError('already_exists', `${ctx.sender} already claimed from red packet ${id}`);
  }
  const amount = nextShare(packet, () => ctx.entropy());
  unlock(ctx, packet.symbol, ctx.sender, amount, packetRef(id));
  const claims = [...packet.claims, { address: ctx.sender, amount, at: ctx.height }];
  const remaining = packet.remaining - amount;
  const status = claims.length === packet.count ? 'emptied' : 'open';
  ctx.set(assetKeys.packet(id), { ...packet, claims, remaining, status } satisfies Packet);
  assetsEvents.emit(ctx, 'packetClaimed', {
    id,
    symbol: packet.symbol,
    claimer: ctx.sender,
    amount,
    remaining,
    sharesLeft: packet.count - claims.length,
  });
}

export function refundPacket(ctx: ContractContext, id: string): void {
  const packet = requirePacket(ctx, id);
  if (packet.creator !== ctx.sender)
    throw new ContractError(
      'not_authorized',
      `only the creator ${packet.creator} may refund red packet ${id}`,
    );
  if (packet.status !== 'open')
    throw new ContractError('not_allowed', `red packet ${id} is ${packet.status}: nothing is left to refund`);
  if (ctx.time < packet.expiresAt) {
    throw new ContractError(
      'not_allowed',
      `red packet ${id} can be refunded once it expires at ${packet.expiresAt}`,
    );
  }
  unlock(ctx, packet.symbol, ctx.sender, packet.remaining, packetRef(id));
  ctx.set(assetKeys.packet(id), { ...packet, status: 'refunded' } satisfies Packet);
  assetsEvents.emit(ctx, 'packetRefunded', {
    id,
    symbol: packet.symbol,
    creator: ctx.sender,
    amount: packet.remaining,
  });
}
