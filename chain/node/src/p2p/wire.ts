// The peer protocol on the wire. Every WebSocket frame is binary and holds exactly one canonical-encoded
// envelope {type, payload}. Because canonical CBOR sorts map keys by their encoded form, "type" always
// comes first, so a receiver reads the type from the frame's first bytes and applies that type's size
// limit before decoding anything. Every payload is checked field by field; a frame that fails is
// refused with a typed reason (and counted by the caller), never passed on. Format: docs/p2p.md.

import type { ConsensusMessage } from '@gongxin/consensus';
import { decodeConsensusMessage, MalformedMessage } from '@gongxin/consensus';
import { decodeCanonical, encodeCanonical, MAX_TX_BYTES, type Value, type ValueMap } from '@gongxin/ledger';

export const PROTOCOL_VERSION = 1;

/** The largest frame a socket accepts at all (ws `maxPayload`): a full proposal or a block batch. */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;

/** Most blocks one `get_blocks` may ask for. */
export const MAX_SYNC_BLOCKS = 100;

/** Most txs one `txs` frame may carry, and its size limit: gossip is batched, never unbounded. */
export const MAX_TXS_PER_FRAME = 1000;
export const MAX_TXS_FRAME_BYTES = 4 * 1024 * 1024;

/** Most peer keys a status may list. */
export const MAX_STATUS_LINKS = 256;

export const FRAME_TYPES = [
  'hello',
  'auth',
  'status',
  'proposal',
  'vote',
  'tx',
  'txs',
  'get_blocks',
  'blocks',
  'get_snapshots',
  'snapshots',
  'get_headers',
  'headers',
  'get_chunk',
  'chunk',
] as const;
export type FrameType = (typeof FRAME_TYPES)[number];

/** Per-type frame size limits in bytes (the whole encoded envelope); `maxPayload` caps them all. */
export const FRAME_LIMITS: Record<FrameType, number> = {
  hello: 1024,
  auth: 512,
  status: 16 * 1024,
  proposal: MAX_FRAME_BYTES,
  vote: 1024,
  tx: MAX_TX_BYTES + 1024,
  txs: MAX_TXS_FRAME_BYTES,
  get_blocks: 256,
  blocks: MAX_FRAME_BYTES,
  get_snapshots: 256,
  snapshots: 4 * 1024 * 1024,
  get_headers: 256,
  headers: MAX_FRAME_BYTES,
  get_chunk: 256,
  chunk: MAX_FRAME_BYTES,
};

/** Most headers one `get_headers` may ask for. */
export const MAX_SYNC_HEADERS = 1000;

/** Most snapshot offers one `snapshots` answer may hold. */
export const MAX_SNAPSHOT_OFFERS = 8;

export type DropReason = 'malformed' | 'oversized' | 'unknown_type';

/** A frame refused before it reached any handler. */
export class FrameError extends Error {
  constructor(
    readonly reason: DropReason,
    message: string,
  ) {
    super(message);
    this.name = 'FrameError';
  }
}

export interface Hello {
  version: number;
  chainId: string;
  genesisHash: Uint8Array;
  nodeKey: Uint8Array;
  challenge: Uint8Array;
}

export interface SyncedBlockBytes {
  block: Uint8Array;
  certificate: Uint8Array;
}

export type Frame =
  | { type: 'hello'; hello: Hello }
  | { type: 'auth'; signature: Uint8Array }
  | { type: 'status'; height: number; round: number; links: Uint8Array[] }
  | { type: 'proposal' | 'vote'; message: ConsensusMessage; bytes: Uint8Array; origin: Uint8Array }
  | { type: 'tx'; tx: Uint8Array; origin: Uint8Array }
  | { type: 'txs'; txs: Uint8Array[]; origin: Uint8Array }
  | { type: 'get_blocks'; from: number; limit: number }
  | { type: 'blocks'; from: number; blocks: SyncedBlockBytes[] }
  | { type: 'get_snapshots' }
  | { type: 'snapshots'; offers: SnapshotOfferBytes[] }
  | { type: 'get_headers'; from: number; limit: number }
  | { type: 'headers'; from: number; headers: SyncedBlockBytes[]; sets: Value[] }
  | { type: 'get_chunk'; height: number; index: number }
  | { type: 'chunk'; height: number; index: number; bytes: Uint8Array };

/** A snapshot offer on the wire: the encoded manifest and validators' signatures over it. */
export interface SnapshotOfferBytes {
  manifest: Uint8Array;
  votes: { key: Uint8Array; signature: Uint8Array }[];
}

// ------------------------------------------------------------------------------------------- encode

export function encodeFrame(type: string, payload: Value): Uint8Array {
  return encodeCanonical({ type, payload });
}

export const helloFrame = (h: Hello) =>
  encodeFrame('hello', {
    version: h.version,
    chainId: h.chainId,
    genesisHash: h.genesisHash,
    nodeKey: h.nodeKey,
    challenge: h.challenge,
  });

export const authFrame = (signature: Uint8Array) => encodeFrame('auth', { signature });

export const statusFrame = (height: number, round: number, links: Uint8Array[]) =>
  encodeFrame('status', { height, round, links: links.slice(0, MAX_STATUS_LINKS) });

/** `message` is `encodeConsensusMessage(m)`; `origin` the node key of the node that first sent it. */
export const consensusFrame = (type: 'proposal' | 'vote', message: Uint8Array, origin: Uint8Array) =>
  encodeFrame(type, { message, origin });

export const txFrame = (tx: Uint8Array, origin: Uint8Array) => encodeFrame('tx', { tx, origin });

/** Several txs gossiped at once (what a node admitted within one turn of its event loop). */
export const txsFrame = (txs: Uint8Array[], origin: Uint8Array) => encodeFrame('txs', { txs, origin });

export const getBlocksFrame = (from: number, limit: number) => encodeFrame('get_blocks', { from, limit });

export const blocksFrame = (from: number, blocks: SyncedBlockBytes[]) =>
  encodeFrame('blocks', {
    from,
    blocks: blocks.map((b) => ({ block: b.block, certificate: b.certificate })),
  });

export const getSnapshotsFrame = () => encodeFrame('get_snapshots', {});

export const snapshotsFrame = (offers: SnapshotOfferBytes[]) =>
  encodeFrame('snapshots', {
    offers: offers.slice(0, MAX_SNAPSHOT_OFFERS).map((o) => ({
      manifest: o.manifest,
      votes: o.votes.map((v) => ({ key: v.key, signature: v.signature })),
    })),
  });

export const getHeadersFrame = (from: number, limit: number) => encodeFrame('get_headers', { from, limit });

/** Headers (in the `block` field, as encoded headers) with their certificates, and the sets they name. */
export const headersFrame = (from: number, headers: SyncedBlockBytes[], sets: Value[]) =>
  encodeFrame('headers', {
    from,
    headers: headers.map((h) => ({ block: h.block, certificate: h.certificate })),
    sets,
  });

export const getChunkFrame = (height: number, index: number) => encodeFrame('get_chunk', { height, index });

export const chunkFrame = (height: number, index: number, bytes: Uint8Array) =>
  encodeFrame('chunk', { height, index, bytes });

// ------------------------------------------------------------------------------------------- decode

// {type: …} encodes as a2 (map of 2), 64 74 79 70 65 ("type"), then the type as a short text string.
const PREFIX = [0xa2, 0x64, 0x74, 0x79, 0x70, 0x65];

/** The envelope's type, read from its first bytes without decoding the frame; null if not an envelope. */
export function peekFrameType(bytes: Uint8Array): string | null {
  if (bytes.length < PREFIX.length + 2) return null;
  for (let i = 0; i < PREFIX.length; i++) if (bytes[i] !== PREFIX[i]) return null;
  const head = bytes[PREFIX.length]!;
  if (head >> 5 !== 3) return null;
  const length = head & 0x1f;
  if (length === 0 || length >= 24 || bytes.length < PREFIX.length + 1 + length) return null;
  let type = '';
  for (let i = 0; i < length; i++) {
    const c = bytes[PREFIX.length + 1 + i]!;
    if (c < 0x20 || c > 0x7e) return null;
    type += String.fromCharCode(c);
  }
  return type;
}

const isFrameType = (t: string): t is FrameType => (FRAME_TYPES as readonly string[]).includes(t);
const isMap = (v: Value | undefined): v is ValueMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const isInt = (v: Value | undefined, min = 0): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isBytes = (v: Value | undefined, min: number, max: number): v is Uint8Array =>
  v instanceof Uint8Array && v.length >= min && v.length <= max;

const malformed = (what: string): never => {
  throw new FrameError('malformed', what);
};

/**
 * Decode one frame. `maxBytes` is the socket's overall limit; each type has its own (smaller) limit.
 * Throws FrameError with the reason to count.
 */
export function decodeFrame(bytes: Uint8Array, maxBytes = MAX_FRAME_BYTES): Frame {
  const type = peekFrameType(bytes);
  if (type === null) return malformed('not an envelope');
  if (!isFrameType(type)) throw new FrameError('unknown_type', `unknown frame type ${JSON.stringify(type)}`);
  const limit = Math.min(FRAME_LIMITS[type], maxBytes);
  if (bytes.length > limit)
    throw new FrameError('oversized', `${type} frame of ${bytes.length} bytes exceeds ${limit}`);
  let envelope: Value;
  try {
    envelope = decodeCanonical(bytes);
  } catch (error) {
    return malformed(`envelope: ${(error as Error).message}`);
  }
  if (!isMap(envelope) || Object.keys(envelope).length !== 2 || envelope.type !== type)
    return malformed('envelope');
  const p = envelope.payload;
  if (!isMap(p)) return malformed(`${type} payload must be a map`);
  switch (type) {
    case 'hello': {
      if (
        !isInt(p.version) ||
        typeof p.chainId !== 'string' ||
        p.chainId.length > 64 ||
        !isBytes(p.genesisHash, 32, 32) ||
        !isBytes(p.nodeKey, 32, 33) ||
        !isBytes(p.challenge, 32, 32)
      )
        return malformed('hello fields');
      return {
        type,
        hello: {
          version: p.version,
          chainId: p.chainId,
          genesisHash: p.genesisHash,
          nodeKey: p.nodeKey,
          challenge: p.challenge,
        },
      };
    }
    case 'auth':
      if (!isBytes(p.signature, 1, 128)) return malformed('auth signature');
      return { type, signature: p.signature };
    case 'status': {
      if (!isInt(p.height) || !isInt(p.round) || !Array.isArray(p.links)) return malformed('status fields');
      const links = p.links as Value[];
      if (links.length > MAX_STATUS_LINKS || !links.every((k) => isBytes(k, 32, 33)))
        return malformed('status links');
      return { type, height: p.height, round: p.round, links: links as Uint8Array[] };
    }
    case 'proposal':
    case 'vote': {
      if (!(p.message instanceof Uint8Array) || !isBytes(p.origin, 32, 33))
        return malformed(`${type} fields`);
      let message: ConsensusMessage;
      try {
        message = decodeConsensusMessage(p.message);
      } catch (error) {
        if (error instanceof MalformedMessage) return malformed(`${type}: ${error.message}`);
        throw error;
      }
      if (message.type !== type) return malformed(`a ${message.type} sent as a ${type}`);
      return { type, message, bytes: p.message, origin: p.origin };
    }
    case 'tx':
      if (!isBytes(p.tx, 1, MAX_TX_BYTES) || !isBytes(p.origin, 32, 33)) return malformed('tx fields');
      return { type, tx: p.tx, origin: p.origin };
    case 'txs': {
      if (!Array.isArray(p.txs) || !isBytes(p.origin, 32, 33)) return malformed('txs fields');
      const txs = p.txs as Value[];
      if (txs.length === 0 || txs.length > MAX_TXS_PER_FRAME)
        return malformed(`txs holds ${txs.length} txs (1 to ${MAX_TXS_PER_FRAME})`);
      if (!txs.every((t) => isBytes(t, 1, MAX_TX_BYTES))) return malformed('txs entries');
      return { type, txs: txs as Uint8Array[], origin: p.origin };
    }
    case 'get_blocks':
      if (!isInt(p.from, 1) || !isInt(p.limit, 1) || p.limit > MAX_SYNC_BLOCKS)
        return malformed('get_blocks fields');
      return { type, from: p.from, limit: p.limit };
    case 'blocks': {
      if (!isInt(p.from, 1) || !Array.isArray(p.blocks)) return malformed('blocks fields');
      const list = p.blocks as Value[];
      if (list.length > MAX_SYNC_BLOCKS) return malformed('too many blocks');
      const blocks: SyncedBlockBytes[] = [];
      for (const b of list) {
        if (!isMap(b) || !(b.block instanceof Uint8Array) || !(b.certificate instanceof Uint8Array))
          return malformed('blocks entries are {block, certificate}');
        blocks.push({ block: b.block, certificate: b.certificate });
      }
      return { type, from: p.from, blocks };
    }
    case 'get_snapshots':
      return { type };
    case 'snapshots': {
      if (!Array.isArray(p.offers) || p.offers.length > MAX_SNAPSHOT_OFFERS)
        return malformed('snapshots fields');
      const offers: SnapshotOfferBytes[] = [];
      for (const o of p.offers as Value[]) {
        if (
          !isMap(o) ||
          !(o.manifest instanceof Uint8Array) ||
          !Array.isArray(o.votes) ||
          o.votes.length > 1024
        )
          return malformed('snapshot offers are {manifest, votes}');
        const votes: SnapshotOfferBytes['votes'] = [];
        for (const v of o.votes as Value[]) {
          if (!isMap(v) || !isBytes(v.key, 32, 33) || !isBytes(v.signature, 1, 128))
            return malformed('snapshot votes are {key, signature}');
          votes.push({ key: v.key, signature: v.signature });
        }
        offers.push({ manifest: o.manifest, votes });
      }
      return { type, offers };
    }
    case 'get_headers':
      if (!isInt(p.from, 1) || !isInt(p.limit, 1) || p.limit > MAX_SYNC_HEADERS)
        return malformed('get_headers fields');
      return { type, from: p.from, limit: p.limit };
    case 'headers': {
      if (!isInt(p.from, 1) || !Array.isArray(p.headers) || !Array.isArray(p.sets))
        return malformed('headers fields');
      const list = p.headers as Value[];
      if (list.length > MAX_SYNC_HEADERS) return malformed('too many headers');
      const headers: SyncedBlockBytes[] = [];
      for (const h of list) {
        if (!isMap(h) || !(h.block instanceof Uint8Array) || !(h.certificate instanceof Uint8Array))
          return malformed('headers entries are {block, certificate}');
        headers.push({ block: h.block, certificate: h.certificate });
      }
      return { type, from: p.from, headers, sets: p.sets as Value[] };
    }
    case 'get_chunk':
      if (!isInt(p.height, 1) || !isInt(p.index)) return malformed('get_chunk fields');
      return { type, height: p.height, index: p.index };
    case 'chunk':
      if (!isInt(p.height, 1) || !isInt(p.index) || !(p.bytes instanceof Uint8Array))
        return malformed('chunk fields');
      return { type, height: p.height, index: p.index, bytes: p.bytes };
  }
}
