// Authenticated WebSocket links between channel nodes. Each side sends a hello with its account key and
// a fresh 32-byte challenge, then proves it holds that key by signing the other side's challenge, bound to
// both keys and the chain id under its own domain tag (`channel-link-auth`: such a signature is never a
// balance proof, a transaction or a chain peer's handshake). A peer is known by the address of the key it
// proved, and a message is handed to the machine as coming from that address only.
//
// Frames are binary, one canonical-encoded envelope each: {t: 'hello'|'auth'|'msg', …}. A frame that fails
// to decode or check is counted and dropped; a peer that fails the handshake is disconnected. Both are
// counted by code (`badBy`, and `onBadInput` for the process's bad-input counter).
//
// One link per peer: when two links to the same peer authenticate (both dialed at once), the one dialed by
// the lower address stays. Messages for a peer without a link wait in a bounded queue until one opens.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Message } from '@gongxin/channels';
import {
  addressFromPublicKey,
  type CryptoSuite,
  decodeCanonical,
  encodeCanonical,
  type Value,
} from '@gongxin/ledger';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { CodecError, decodeMessage, TooManyLocks } from './codec';

export const LINK_PROTOCOL_VERSION = 1;
/** Largest frame accepted (a full batch of operations fits with room to spare). */
export const MAX_LINK_FRAME_BYTES = 8 * 1024 * 1024;
const HANDSHAKE_MS = 5_000;
const OUTBOX_MAX = 20_000;
const REDIAL_MIN_MS = 200;
const REDIAL_MAX_MS = 5_000;

export function linkAuthBytes(chainId: string, challenge: Uint8Array, from: Uint8Array, to: Uint8Array) {
  return encodeCanonical({ type: 'channel-link-auth', chainId, challenge, from, to });
}

export interface LinkCounters {
  framesIn: number;
  framesOut: number;
  /** Frames dropped because they did not decode or check. */
  malformed: number;
  /** Links refused in the handshake (wrong chain or version, bad key, bad signature, too slow). */
  refused: number;
  linksOpened: number;
  /** Messages dropped from a full outbox. */
  outboxDropped: number;
}

/**
 * Why a peer's input was refused: a frame that did not decode (`bad_frame`: not binary, not canonical
 * CBOR, not a map), a frame of the wrong kind or order (`unexpected_frame`), a message that failed its
 * checks (`bad_message`), a batch adding more locks than a balance proof carries (`too_many_locks`, over
 * the contract's MAX_LOCKS), or a failed handshake (the rest).
 */
export type LinkBadInput =
  | 'bad_frame'
  | 'unexpected_frame'
  | 'bad_message'
  | 'too_many_locks'
  | 'handshake_timeout'
  | 'bad_version'
  | 'wrong_chain'
  | 'bad_key'
  | 'bad_challenge'
  | 'bad_signature'
  | 'self_link';

export interface LinkOptions {
  suite: CryptoSuite;
  chainId: string;
  privateKey: Uint8Array;
  onMessage: (from: string, msg: Message) => void;
  onLinkUp?: (peer: string) => void;
  onLinkDown?: (peer: string) => void;
  onProblem?: (problem: string) => void;
  /** Each frame dropped or link refused, by code (the process's bad-input counter, source `channel-link`). */
  onBadInput?: (code: LinkBadInput) => void;
}

interface Conn {
  readonly ws: WebSocket;
  readonly dialer: 'us' | 'them';
  readonly challenge: Uint8Array;
  peerKey: Uint8Array | null;
  peer: string | null;
  sentAuth: boolean;
  open: boolean;
  timer: NodeJS.Timeout;
}

export class LinkManager {
  readonly address: string;
  readonly publicKey: Uint8Array;
  readonly counters: LinkCounters = {
    framesIn: 0,
    framesOut: 0,
    malformed: 0,
    refused: 0,
    linksOpened: 0,
    outboxDropped: 0,
  };
  private readonly bad: Partial<Record<LinkBadInput, number>> = {};
  private server: WebSocketServer | null = null;
  private detachUpgrade: (() => void) | null = null;
  private readonly links = new Map<string, Conn>();
  private readonly conns = new Set<Conn>();
  private readonly outbox = new Map<string, Message[]>();
  private readonly dials = new Map<
    string,
    { timer: NodeJS.Timeout | null; delay: number; conn: Conn | null; peer: string | null }
  >();
  private closed = false;

  constructor(private readonly opts: LinkOptions) {
    this.publicKey = opts.suite.publicKeyFromPrivate(opts.privateKey);
    this.address = addressFromPublicKey(opts.suite, this.publicKey);
  }

  /** Accepts links on `port` (0: any free one); returns the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = new WebSocketServer({ port, host, maxPayload: MAX_LINK_FRAME_BYTES });
    this.server = server;
    server.on('connection', (ws) => this.attach(ws, 'them'));
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return (server.address() as AddressInfo).port;
  }

  /**
   * Accepts links on an HTTP server that serves other things too, at `path` (ws://host:port/path):
   * upgrades to other paths are left to their own handlers.
   */
  listenOn(http: Server, path: string): void {
    const server = new WebSocketServer({ noServer: true, maxPayload: MAX_LINK_FRAME_BYTES });
    this.server = server;
    server.on('connection', (ws) => this.attach(ws, 'them'));
    const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== path) return;
      if (this.closed) {
        socket.destroy();
        return;
      }
      server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req));
    };
    http.on('upgrade', onUpgrade);
    this.detachUpgrade = () => http.off('upgrade', onUpgrade);
  }

  /** Keeps a link to the node at `url` (ws://host:port), dialing again whenever it drops. */
  connect(url: string): void {
    if (this.dials.has(url) || this.closed) return;
    const dial = {
      timer: null as NodeJS.Timeout | null,
      delay: REDIAL_MIN_MS,
      conn: null as Conn | null,
      peer: null as string | null,
    };
    this.dials.set(url, dial);
    const attempt = () => {
      dial.timer = null;
      if (this.closed || !this.dials.has(url)) return;
      // The peer dialed us and that link stayed: look again later.
      if (dial.peer && this.links.has(dial.peer)) {
        dial.timer = setTimeout(attempt, REDIAL_MAX_MS);
        return;
      }
      const ws = new WebSocket(url, { maxPayload: MAX_LINK_FRAME_BYTES });
      const conn = this.attach(ws, 'us');
      dial.conn = conn;
      ws.on('close', () => {
        if (conn.peer) dial.peer = conn.peer;
        if (this.closed || !this.dials.has(url)) return;
        dial.delay = conn.open ? REDIAL_MIN_MS : Math.min(dial.delay * 2, REDIAL_MAX_MS);
        dial.timer = setTimeout(attempt, dial.delay);
      });
    };
    attempt();
  }

  isLinked(peer: string): boolean {
    return this.links.has(peer);
  }

  peers(): string[] {
    return [...this.links.keys()];
  }

  /** Frames dropped and links refused so far, by code. */
  badBy(): Readonly<Partial<Record<LinkBadInput, number>>> {
    return { ...this.bad };
  }

  /** Messages waiting for their peer's link. */
  queued(): number {
    let n = 0;
    for (const q of this.outbox.values()) n += q.length;
    return n;
  }

  /** Addresses this node keeps links to (dialing again whenever they drop). */
  dialing(): number {
    return this.dials.size;
  }

  /** Sends at once over an open link, else queues (bounded) until the peer's link opens. */
  send(to: string, msg: Message): void {
    const conn = this.links.get(to);
    if (conn && conn.ws.readyState === WebSocket.OPEN) {
      this.frame(conn, { t: 'msg', m: msg as unknown as Value });
      return;
    }
    let q = this.outbox.get(to);
    if (!q) {
      q = [];
      this.outbox.set(to, q);
    }
    q.push(msg);
    if (q.length > OUTBOX_MAX) {
      q.shift();
      this.counters.outboxDropped++;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const dial of this.dials.values()) if (dial.timer) clearTimeout(dial.timer);
    this.dials.clear();
    for (const conn of this.conns) {
      clearTimeout(conn.timer);
      conn.ws.terminate();
    }
    this.conns.clear();
    this.links.clear();
    this.detachUpgrade?.();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---------------------------------------------------------------------------------------- internals

  private attach(ws: WebSocket, dialer: 'us' | 'them'): Conn {
    const conn: Conn = {
      ws,
      dialer,
      challenge: new Uint8Array(randomBytes(32)),
      peerKey: null,
      peer: null,
      sentAuth: false,
      open: false,
      timer: setTimeout(() => this.refuse(conn, 'handshake_timeout', 'handshake timed out'), HANDSHAKE_MS),
    };
    this.conns.add(conn);
    const hello = () =>
      this.frame(conn, {
        t: 'hello',
        v: LINK_PROTOCOL_VERSION,
        chainId: this.opts.chainId,
        key: this.publicKey,
        challenge: conn.challenge,
      });
    if (ws.readyState === WebSocket.OPEN) hello();
    else ws.once('open', hello);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onFrame(conn, data, isBinary));
    ws.on('error', (error) => this.opts.onProblem?.(`link: ${error.message}`));
    ws.on('close', () => this.detach(conn));
    return conn;
  }

  private frame(conn: Conn, value: Value): void {
    this.counters.framesOut++;
    conn.ws.send(encodeCanonical(value));
  }

  private refuse(conn: Conn, code: LinkBadInput, why: string): void {
    this.counters.refused++;
    this.count(code);
    this.opts.onProblem?.(`link refused: ${why}`);
    conn.ws.terminate();
  }

  /** A dropped frame that leaves the link up. */
  private drop(code: LinkBadInput): void {
    this.counters.malformed++;
    this.count(code);
  }

  private count(code: LinkBadInput): void {
    this.bad[code] = (this.bad[code] ?? 0) + 1;
    this.opts.onBadInput?.(code);
  }

  private onFrame(conn: Conn, data: RawData, isBinary: boolean): void {
    this.counters.framesIn++;
    let frame: { readonly [key: string]: Value };
    try {
      if (!isBinary) throw new CodecError('text frame');
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const value = decodeCanonical(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
      if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array)
        throw new CodecError('frame: expected a map');
      frame = value as { readonly [key: string]: Value };
    } catch (error) {
      // Before the handshake the link goes too (counted once, as refused); after it, only the frame.
      if (conn.open) this.drop('bad_frame');
      else {
        this.counters.malformed++;
        this.refuse(conn, 'bad_frame', `malformed handshake frame (${(error as Error).message})`);
      }
      return;
    }
    if (frame.t === 'hello') {
      this.onHello(conn, frame);
      return;
    }
    if (frame.t === 'auth') {
      this.onAuth(conn, frame);
      return;
    }
    if (frame.t !== 'msg' || !conn.open || !conn.peer) {
      if (conn.open) this.drop('unexpected_frame');
      else {
        this.counters.malformed++;
        this.refuse(conn, 'unexpected_frame', `unexpected ${String(frame.t)} frame before the handshake`);
      }
      return;
    }
    let msg: Message;
    try {
      msg = decodeMessage(frame.m as Value);
    } catch (error) {
      // Dropped like any malformed message: the link stays, and the sender's batch goes unacknowledged.
      this.drop(error instanceof TooManyLocks ? 'too_many_locks' : 'bad_message');
      this.opts.onProblem?.(`dropped a message from ${conn.peer}: ${(error as Error).message}`);
      return;
    }
    this.opts.onMessage(conn.peer, msg);
  }

  private onHello(conn: Conn, frame: { readonly [key: string]: Value }): void {
    const { suite } = this.opts;
    if (conn.peerKey) {
      this.refuse(conn, 'unexpected_frame', 'a second hello');
      return;
    }
    if (frame.v !== LINK_PROTOCOL_VERSION) {
      this.refuse(conn, 'bad_version', `protocol version ${String(frame.v)}`);
      return;
    }
    if (frame.chainId !== this.opts.chainId) {
      this.refuse(conn, 'wrong_chain', `chain ${String(frame.chainId)}`);
      return;
    }
    const key = frame.key;
    const challenge = frame.challenge;
    if (!(key instanceof Uint8Array) || key.length !== suite.publicKeyLength) {
      this.refuse(conn, 'bad_key', 'a key of the wrong form');
      return;
    }
    if (!(challenge instanceof Uint8Array) || challenge.length !== 32) {
      this.refuse(conn, 'bad_challenge', 'a challenge of the wrong form');
      return;
    }
    conn.peerKey = key;
    const signature = suite.sign(
      linkAuthBytes(this.opts.chainId, challenge, this.publicKey, key),
      this.opts.privateKey,
    );
    conn.sentAuth = true;
    this.frame(conn, { t: 'auth', signature });
  }

  private onAuth(conn: Conn, frame: { readonly [key: string]: Value }): void {
    const { suite } = this.opts;
    const key = conn.peerKey;
    if (!key || conn.open) {
      this.refuse(conn, 'unexpected_frame', 'auth out of order');
      return;
    }
    const signature = frame.signature;
    if (
      !(signature instanceof Uint8Array) ||
      !suite.verify(signature, linkAuthBytes(this.opts.chainId, conn.challenge, key, this.publicKey), key)
    ) {
      this.refuse(conn, 'bad_signature', 'a bad handshake signature');
      return;
    }
    const peer = addressFromPublicKey(suite, key);
    if (peer === this.address) {
      this.refuse(conn, 'self_link', 'a link to itself');
      return;
    }
    clearTimeout(conn.timer);
    conn.peer = peer;
    const existing = this.links.get(peer);
    if (existing && existing !== conn) {
      // Both dialed: the link dialed by the lower address stays; a redial replaces a stale link.
      const dialerOf = (c: Conn) => (c.dialer === 'us' ? this.address : peer);
      if (existing.dialer !== conn.dialer && dialerOf(existing) < dialerOf(conn)) {
        conn.ws.close();
        return;
      }
      this.links.delete(peer);
      existing.ws.close();
    }
    conn.open = true;
    this.links.set(peer, conn);
    this.counters.linksOpened++;
    const queued = this.outbox.get(peer);
    this.outbox.delete(peer);
    for (const msg of queued ?? []) this.frame(conn, { t: 'msg', m: msg as unknown as Value });
    this.opts.onLinkUp?.(peer);
  }

  private detach(conn: Conn): void {
    clearTimeout(conn.timer);
    this.conns.delete(conn);
    if (conn.peer && this.links.get(conn.peer) === conn) {
      this.links.delete(conn.peer);
      this.opts.onLinkDown?.(conn.peer);
    }
  }
}
