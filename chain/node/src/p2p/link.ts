// One WebSocket to one peer: its handshake state, what the peer last told us (height, round, links), a
// bounded two-level send queue and the per-peer budgets that keep one peer from flooding the node.
import { toHex } from '@gongxin/ledger';
import type { WebSocket } from 'ws';
import type { Hello } from './wire';

export type Priority = 'high' | 'low';

export interface LinkLimits {
  /** Stop handing frames to the socket while it has this many bytes unsent. */
  socketHighWaterBytes: number;
  /** Frames waiting in our own queue, both priorities together. */
  queueMaxBytes: number;
  queueMaxFrames: number;
  /** Incoming frames per second (token bucket) and the burst allowed. */
  ratePerSecond: number;
  rateBurst: number;
  /** Incoming bytes per second and the burst allowed. */
  bytesPerSecond: number;
  bytesBurst: number;
  /** Txs a peer may relay per second (counted inside `txs` frames) and the burst allowed. */
  txsPerSecond: number;
  txsBurst: number;
}

/** A FIFO with O(1) shift (an array with a moving head, compacted now and then). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T) {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear() {
    this.items = [];
    this.head = 0;
  }
}

class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  take(amount: number, now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

export type LinkState = 'handshake' | 'open' | 'closed';

export class Link {
  state: LinkState = 'handshake';
  /** The peer's hello, once received (its key is not trusted until `state` is 'open'). */
  hello: Hello | null = null;
  key: Uint8Array | null = null;
  keyHex = '';
  connectedSince = 0;
  /** When the peer last sent a frame (a live peer sends status every interval). */
  lastFrameAt: number;
  height = 0;
  round = 0;
  /** Keys the peer says it has open links to; null until its first status. */
  links: Set<string> | null = null;
  handshakeTimer: NodeJS.Timeout | null = null;
  closeTimer: NodeJS.Timeout | null = null;
  /** A `get_blocks` of this peer is being answered. */
  serving = false;
  syncFailures = 0;
  private readonly high = new Fifo<Uint8Array>();
  private readonly low = new Fifo<Uint8Array>();
  private queuedBytes = 0;
  private readonly frames: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly txs: TokenBucket;
  private strikes = 0;
  private strikeWindowStart: number;

  constructor(
    readonly ws: WebSocket,
    readonly direction: 'inbound' | 'outbound',
    readonly address: string,
    readonly challenge: Uint8Array,
    private readonly limits: LinkLimits,
    now: number,
    /** Index of the configured peer this link was dialed for (outbound only). */
    readonly target: number | null = null,
  ) {
    this.frames = new TokenBucket(limits.ratePerSecond, limits.rateBurst, now);
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.bytesBurst, now);
    this.txs = new TokenBucket(limits.txsPerSecond, limits.txsBurst, now);
    this.strikeWindowStart = now;
    this.lastFrameAt = now;
  }

  setKey(key: Uint8Array) {
    this.key = key;
    this.keyHex = toHex(key);
  }

  /** Charge an incoming frame to the peer's budget; false: it is over budget (a flood). */
  admit(size: number, now: number): boolean {
    const frameOk = this.frames.take(1, now);
    return this.bytes.take(size, now) && frameOk;
  }

  /** Charge `count` relayed txs to the peer's tx budget; false: over it (the frame is dropped). */
  admitTxs(count: number, now: number): boolean {
    return this.txs.take(count, now);
  }

  /** Count one misbehaviour; returns the count within the current one-minute window. */
  strike(now: number): number {
    if (now - this.strikeWindowStart > 60_000) {
      this.strikeWindowStart = now;
      this.strikes = 0;
    }
    return ++this.strikes;
  }

  /**
   * Queue a frame. Never blocks: when the queue is full the oldest low-priority frames (txs, status) are
   * dropped first, then the oldest high-priority ones. Returns how many frames were dropped.
   */
  send(frame: Uint8Array, priority: Priority): number {
    if (this.state === 'closed') return 0;
    let dropped = 0;
    const full = () =>
      this.high.length + this.low.length >= this.limits.queueMaxFrames ||
      this.queuedBytes + frame.length > this.limits.queueMaxBytes;
    while (full() && this.low.length > 0) {
      this.queuedBytes -= this.low.shift()!.length;
      dropped++;
    }
    if (priority === 'low' && full()) return dropped + 1;
    while (full() && this.high.length > 0) {
      this.queuedBytes -= this.high.shift()!.length;
      dropped++;
    }
    (priority === 'high' ? this.high : this.low).push(frame);
    this.queuedBytes += frame.length;
    this.flush();
    return dropped;
  }

  /** Hand queued frames to the socket while its own buffer is below the high-water mark. */
  flush = () => {
    const ws = this.ws;
    while (ws.readyState === ws.OPEN && ws.bufferedAmount < this.limits.socketHighWaterBytes) {
      const frame = this.high.shift() ?? this.low.shift();
      if (!frame) return;
      this.queuedBytes -= frame.length;
      // The callback runs once the frame is written out: that is when there may be room for more.
      ws.send(frame, { binary: true }, this.afterSend);
    }
  };

  private afterSend = (error?: Error) => {
    if (!error && this.high.length + this.low.length > 0) this.flush();
  };

  get queued(): number {
    return this.high.length + this.low.length;
  }

  clearQueue() {
    this.high.clear();
    this.low.clear();
    this.queuedBytes = 0;
  }
}
