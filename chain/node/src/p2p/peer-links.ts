// The link layer of the peer network: the WebSocket server and dialer, peer authentication (the
// handshake of handshake.ts on every new socket), admission and bans, redials with backoff, one link per
// peer key, and the lifecycle of each link (pending, open, closed). It hands every frame of an open link
// to its owner (PeerNetwork, which gossips and syncs over the links) and knows nothing of what they carry.
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Signer } from '@gongxin/consensus';
import { type CryptoSuite, compareBytes, toHex } from '@gongxin/ledger';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { LoggerLike } from '../node';
import type { TimerHandle, Timers } from '../ports';
import {
  type AuthContext,
  authSignBytes,
  checkHello,
  makeHello,
  newChallenge,
  verifyAuth,
} from './handshake';
import { Link, type LinkLimits, type Priority } from './link';
import { authFrame, decodeFrame, type Frame, FrameError, helloFrame } from './wire';

/** WebSocket close codes this network uses (4000–4999 are the application's). */
export const CLOSE = {
  shutdown: 1001,
  notAdmitted: 4001,
  badSignature: 4002,
  wrongChain: 4003,
  handshakeTimeout: 4004,
  protocol: 4005,
  duplicate: 4006,
  misbehaving: 4007,
  self: 4008,
  busy: 4009,
  idle: 4010,
} as const;

/** Per-reason counts of refused links and dropped frames, for /metrics. */
export const COUNTER_REASONS = [
  'malformed',
  'oversized',
  'unauthenticated',
  'wrong_chain',
  'bad_signature',
  'flood',
  'unknown_type',
  'handshake_timeout',
  'version',
  'bad_block',
  'send_overflow',
  'banned',
  'misbehaving',
  /** Txs from peers dropped because the admission queue was full (they still reach us in proposals). */
  'inbound_full',
  /** Tx frames from a peer over its tx budget (token bucket), dropped. */
  'tx_rate',
  /** Txs from a peer that no honest node could have admitted (forged, malformed, other chain): a strike each. */
  'junk_tx',
  /** Connections dropped at once because every pending-handshake slot was taken. */
  'handshake_slots',
] as const;
export type CounterReason = (typeof COUNTER_REASONS)[number];
export type PeerCounters = Record<CounterReason, number>;

export interface PeerAddress {
  /** ws://host:port or wss://host:port */
  url: string;
  /** The peer's node key (hex), if known: a peer presenting another key is refused. */
  key?: string;
}

export interface PeerLinkLimits extends LinkLimits {
  /** Largest frame a socket accepts at all; larger ones close the socket (code 1009). */
  maxPayload: number;
  handshakeTimeoutMs: number;
  /** An open link with no frame for this long is dead (peers send status every interval): closed. */
  idleTimeoutMs: number;
  maxPeers: number;
  maxPendingHandshakes: number;
  /** Dropped frames a peer may cause per minute before it is disconnected and banned. */
  misbehaviourPerMinute: number;
  banMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
}

export interface PeerLinksConfig {
  suite: CryptoSuite;
  chainId: string;
  genesisHash: Uint8Array;
  /** The node key: it signs the handshake; its public key identifies this node to peers (a validator may
   * use its consensus key). */
  signer: Signer;
  /** Where to accept links; null or absent: dial only. Port 0 picks a free port. */
  listen?: {
    host?: string;
    port: number;
    /** Serve wss:// directly (otherwise terminate TLS in front, or run on a private network). */
    tls?: { key: string | Buffer; cert: string | Buffer };
  } | null;
  peers?: PeerAddress[];
  /** Node keys (bytes or hex) allowed to link: validators and full nodes. */
  admitted: Iterable<Uint8Array | string>;
  /** Keys admitted besides `admitted` (the attached node's validators), read on refreshAdmitted(). */
  following?: () => Iterable<Uint8Array | string>;
  limits: PeerLinkLimits;
  timers: Timers;
  log: LoggerLike;
}

/** What the owner of the links hears of them. */
export interface LinkEvents {
  /** A link passed the handshake and is open. */
  opened(link: Link): void;
  /** An open link is gone (closed by either side, replaced or refused later). */
  closed(link: Link): void;
  /** A frame that arrived on an open link, decoded, within the peer's budget. */
  frame(link: Link, frame: Frame, bytes: Uint8Array): void;
}

export interface PeerInfo {
  key: string;
  address: string;
  direction: 'inbound' | 'outbound';
  height: number;
  round: number;
  connectedSince: number;
  queued: number;
}

interface Target {
  url: string;
  key: string | null;
  learned: string | null;
  attempts: number;
  timer: TimerHandle | null;
  link: Link | null;
  self: boolean;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Largest frame accepted before the handshake completes (hello and auth are far smaller). */
const HANDSHAKE_FRAME_BYTES = 4 * 1024;

/**
 * Lower or raise a socket's receive limit. ws fixes `maxPayload` per socket, but an unauthenticated peer
 * must not make us buffer 32 MiB frames: until the handshake completes the limit is HANDSHAKE_FRAME_BYTES.
 * This touches ws internals (checked to exist in ws 8); if they move, the socket keeps `maxPayload`.
 */
function setReceiveLimit(ws: WebSocket, bytes: number) {
  const receiver = (ws as unknown as { _receiver?: { _maxPayload?: unknown } | null })._receiver;
  if (receiver && typeof receiver._maxPayload === 'number') receiver._maxPayload = bytes;
}

const hexOf = (k: Uint8Array | string) => (typeof k === 'string' ? k.toLowerCase() : toHex(k));

export class PeerLinks {
  readonly counters: PeerCounters = Object.fromEntries(COUNTER_REASONS.map((r) => [r, 0])) as PeerCounters;
  private readonly limits: PeerLinkLimits;
  private readonly timers: Timers;
  private readonly log: LoggerLike;
  private readonly ctx: AuthContext;
  private readonly key: Uint8Array;
  private readonly keyHex: string;
  private staticAdmitted: Set<string>;
  private admitted = new Set<string>();
  private readonly targets: Target[] = [];
  /** Open (authenticated) links by peer key. */
  private readonly links = new Map<string, Link>();
  /** Every socket, open or not, so that stop() leaves none behind. */
  private readonly sockets = new Set<Link>();
  private pendingHandshakes = 0;
  private readonly bans = new Map<string, number>();
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private started = false;
  private stopped = false;

  constructor(
    private readonly config: PeerLinksConfig,
    private readonly events: LinkEvents,
  ) {
    this.limits = config.limits;
    this.timers = config.timers;
    this.log = config.log;
    this.ctx = { chainId: config.chainId, genesisHash: config.genesisHash };
    this.key = config.signer.key;
    this.keyHex = toHex(this.key);
    this.staticAdmitted = new Set([...config.admitted].map(hexOf));
    for (const p of config.peers ?? []) this.addTarget(p);
    this.refreshAdmitted();
  }

  /** Replace the admitted keys (e.g. after a governance change); open links to other keys are closed. */
  setAdmitted(keys: Iterable<Uint8Array | string>): void {
    this.staticAdmitted = new Set([...keys].map(hexOf));
    this.refreshAdmitted();
  }

  /** Dial another peer (kept up with reconnects, like the configured ones). */
  addPeer(peer: PeerAddress): void {
    const target = this.addTarget(peer);
    if (this.started && !this.stopped) this.dial(target);
  }

  /** The open links, in the order they opened. */
  openLinks(): IterableIterator<Link> {
    return this.links.values();
  }

  /** The open link to the peer with this key (hex). */
  get(key: string): Link | undefined {
    return this.links.get(key);
  }

  get size(): number {
    return this.links.size;
  }

  /** Keys (hex) of the peers linked now. */
  keys(): string[] {
    return [...this.links.keys()];
  }

  /**
   * On the status tick: close the open links silent for longer than the idle timeout, lift the bans
   * that ran out, and return the links still open.
   */
  sweep(now: number): Link[] {
    const alive: Link[] = [];
    for (const link of [...this.links.values()]) {
      if (now - link.lastFrameAt > this.limits.idleTimeoutMs) {
        this.log.warn({ peer: link.keyHex, address: link.address }, 'peer went silent: link closed');
        this.closeLink(link, CLOSE.idle, 'silent');
      } else alive.push(link);
    }
    for (const [key, until] of this.bans) if (until <= now) this.bans.delete(key);
    return alive;
  }

  /** Listen (if configured) and dial the configured peers; the port listened on (0: none). */
  async start(): Promise<{ port: number }> {
    if (this.started) throw new Error('peer links start once');
    this.started = true;
    this.refreshAdmitted();
    let port = 0;
    const listen = this.config.listen;
    if (listen) {
      const server = listen.tls
        ? createHttpsServer({ key: listen.tls.key, cert: listen.tls.cert })
        : createHttpServer();
      server.on('request', (_req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain' });
        res.end('gongxin peer links speak WebSocket only\n');
      });
      server.on('clientError', (_error, socket) => socket.destroy());
      const wss = new WebSocketServer({
        server,
        maxPayload: this.limits.maxPayload,
        perMessageDeflate: false,
        clientTracking: false,
      });
      wss.on('connection', (ws, req) => this.accept(ws, req));
      wss.on('error', (error) => this.log.warn({ err: error.message }, 'p2p server error'));
      this.server = server;
      this.wss = wss;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(listen.port, listen.host ?? '0.0.0.0', () => {
          server.off('error', reject);
          resolve();
        });
      });
      port = (server.address() as AddressInfo).port;
      this.log.info({ port, key: this.keyHex }, 'p2p listening');
    }
    for (const target of this.targets) this.dial(target);
    return { port };
  }

  /** Close the server and every socket; resolves when nothing is left open. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.targets) {
      if (t.timer) this.timers.clearTimeout(t.timer);
      t.timer = null;
    }
    const sockets = [...this.sockets];
    const closed = sockets.map(
      (link) =>
        new Promise<void>((resolve) => {
          if (link.ws.readyState === WebSocket.CLOSED) resolve();
          else link.ws.once('close', () => resolve());
        }),
    );
    for (const link of sockets) this.closeLink(link, CLOSE.shutdown, 'shutting down');
    let grace: NodeJS.Timeout | null = null;
    await Promise.race([Promise.all(closed), new Promise<void>((r) => (grace = setTimeout(r, 500)))]);
    if (grace) clearTimeout(grace);
    for (const link of sockets) if (link.ws.readyState !== WebSocket.CLOSED) link.ws.terminate();
    await Promise.all(closed);
    for (const link of sockets) if (link.closeTimer) clearTimeout(link.closeTimer);
    const wss = this.wss;
    if (wss) await new Promise<void>((resolve) => wss.close(() => resolve()));
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.log.info({}, 'p2p stopped');
  }

  /** Authenticated peers. */
  peers(): PeerInfo[] {
    return [...this.links.values()].map((l) => ({
      key: l.keyHex,
      address: l.address,
      direction: l.direction,
      height: l.height,
      round: l.round,
      connectedSince: l.connectedSince,
      queued: l.queued,
    }));
  }

  // ------------------------------------------------------------------------------ admission

  /** Recompute the admitted keys (static and followed); open links to keys no longer admitted are closed. */
  refreshAdmitted(): void {
    const next = new Set(this.staticAdmitted);
    for (const k of this.config.following?.() ?? []) next.add(hexOf(k));
    const same = next.size === this.admitted.size && [...next].every((k) => this.admitted.has(k));
    if (same) return;
    this.admitted = next;
    for (const link of [...this.links.values()]) {
      if (!next.has(link.keyHex)) {
        this.log.warn({ peer: link.keyHex }, 'peer is no longer admitted');
        this.closeLink(link, CLOSE.notAdmitted, 'no longer admitted');
      }
    }
  }

  private isBanned(keyHex: string): boolean {
    const until = this.bans.get(keyHex);
    if (until === undefined) return false;
    if (until > this.timers.now()) return true;
    this.bans.delete(keyHex);
    return false;
  }

  // ------------------------------------------------------------------------------ links

  private addTarget(peer: PeerAddress): Target {
    const key = peer.key ? hexOf(peer.key) : null;
    const existing = this.targets.find((t) => t.url === peer.url);
    if (existing) {
      if (key) existing.key = key;
      return existing;
    }
    const target: Target = {
      url: peer.url,
      key,
      learned: null,
      attempts: 0,
      timer: null,
      link: null,
      self: key === this.keyHex,
    };
    this.targets.push(target);
    return target;
  }

  private backoff(attempts: number): number {
    const ceiling = Math.min(
      this.limits.reconnectMaxMs,
      this.limits.reconnectBaseMs * 2 ** Math.min(attempts, 20),
    );
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }

  private scheduleDial(target: Target, delayMs: number) {
    if (this.stopped || target.timer || target.link || target.self) return;
    target.timer = this.timers.setTimeout(() => {
      target.timer = null;
      this.dial(target);
    }, delayMs);
  }

  private dial(target: Target) {
    if (this.stopped || target.link || target.self) return;
    const key = target.key ?? target.learned;
    if (key && this.links.has(key)) return; // linked already (it dialed us); redialed when that link ends
    if (key && this.isBanned(key))
      return this.scheduleDial(target, (this.bans.get(key) ?? 0) - this.timers.now() + 10);
    let ws: WebSocket;
    try {
      ws = new WebSocket(target.url, {
        maxPayload: this.limits.maxPayload,
        perMessageDeflate: false,
        handshakeTimeout: this.limits.handshakeTimeoutMs,
        // A zero masking key: ws then sends the frame as it is instead of copying it through an XOR, and
        // the receiving side skips the unmasking. Masking keeps a browser script from steering the bytes a
        // proxy sees (RFC 6455 §10.3); both ends of a peer link are nodes, and it hides nothing.
        generateMask: (mask) => mask.fill(0),
      });
    } catch (error) {
      this.log.warn({ url: target.url, err: (error as Error).message }, 'cannot dial peer');
      target.attempts++;
      return this.scheduleDial(target, this.backoff(target.attempts));
    }
    const link = this.newLink(ws, 'outbound', target.url, this.targets.indexOf(target));
    target.link = link;
    ws.on('open', () => {
      setReceiveLimit(ws, HANDSHAKE_FRAME_BYTES);
      if (link.state !== 'closed')
        this.send(link, helloFrame(makeHello(this.ctx, this.key, link.challenge)), 'high');
    });
  }

  private accept(ws: WebSocket, req: IncomingMessage) {
    if (this.stopped || this.pendingHandshakes >= this.limits.maxPendingHandshakes) {
      ws.on('error', () => {});
      if (!this.stopped) {
        this.counters.handshake_slots++;
        this.log.debug(
          { address: `${req.socket.remoteAddress}:${req.socket.remotePort}` },
          'every pending-handshake slot is taken: connection dropped',
        );
      }
      return ws.terminate();
    }
    const address = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    setReceiveLimit(ws, HANDSHAKE_FRAME_BYTES);
    const link = this.newLink(ws, 'inbound', address, null);
    this.send(link, helloFrame(makeHello(this.ctx, this.key, link.challenge)), 'high');
  }

  private newLink(
    ws: WebSocket,
    direction: 'inbound' | 'outbound',
    address: string,
    target: number | null,
  ): Link {
    const link = new Link(ws, direction, address, newChallenge(), this.limits, this.timers.now(), target);
    this.sockets.add(link);
    this.pendingHandshakes++;
    link.handshakeTimer = setTimeout(() => {
      link.handshakeTimer = null;
      if (link.state !== 'handshake') return;
      // A dial that never connected is only a failed dial; a peer that connected and stalled is counted.
      if (ws.readyState === WebSocket.OPEN) {
        this.counters.handshake_timeout++;
        this.log.warn({ address }, 'peer did not finish the handshake in time');
      }
      this.closeLink(link, CLOSE.handshakeTimeout, 'handshake timeout');
    }, this.limits.handshakeTimeoutMs);
    ws.on('message', (data, isBinary) => this.onMessage(link, data, isBinary));
    ws.on('close', (code, reason) => this.onClose(link, code, reason.toString()));
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.count(link, 'oversized', error.message);
      else if (error.code?.startsWith('WS_ERR_')) this.count(link, 'malformed', error.message);
      else this.log.debug({ address, err: error.message }, 'peer socket error');
    });
    return link;
  }

  /** Leave the open/pending books at once; the socket itself ends in onClose. */
  private detach(link: Link) {
    if (link.state === 'handshake') this.pendingHandshakes--;
    if (link.handshakeTimer) clearTimeout(link.handshakeTimer);
    link.handshakeTimer = null;
    const wasOpen = link.state === 'open';
    link.state = 'closed';
    link.clearQueue();
    if (wasOpen && this.links.get(link.keyHex) === link) {
      this.links.delete(link.keyHex);
      this.log.info({ peer: link.keyHex, address: link.address }, 'peer disconnected');
      this.events.closed(link);
      // A peer we configured may have been reachable through this (inbound) link: dial it again.
      for (const t of this.targets) {
        if ((t.key ?? t.learned) === link.keyHex && !t.link) this.scheduleDial(t, this.backoff(t.attempts));
      }
    }
  }

  closeLink(link: Link, code: number, reason: string) {
    if (link.state === 'closed') return;
    this.detach(link);
    try {
      link.ws.close(code, reason.slice(0, 120));
    } catch {
      link.ws.terminate();
    }
    // A peer that does not answer the close handshake is cut off.
    link.closeTimer = setTimeout(() => link.ws.terminate(), 2_000);
  }

  private onClose(link: Link, code: number, reason: string) {
    this.detach(link);
    if (link.closeTimer) clearTimeout(link.closeTimer);
    link.closeTimer = null;
    this.sockets.delete(link);
    if (code >= 4000) this.log.info({ address: link.address, code, reason }, 'peer link closed');
    if (link.target === null || this.stopped) return;
    const target = this.targets[link.target]!;
    if (target.link !== link) return;
    target.link = null;
    if (link.connectedSince > 0) target.attempts = 0;
    else target.attempts++;
    this.scheduleDial(target, this.backoff(target.attempts));
  }

  /** Refuse a link during the handshake: count, log, close with a reason code. */
  private refuse(link: Link, reason: CounterReason | null, code: number, detail: string) {
    if (reason) {
      this.counters[reason]++;
      this.log.warn(
        { address: link.address, peer: link.keyHex || undefined, reason, detail },
        'peer refused',
      );
    } else this.log.debug({ address: link.address, detail }, 'link closed');
    this.closeLink(link, code, detail);
  }

  /** Count a dropped frame from an open link; too many in a minute and the peer is banned for a while. */
  count(link: Link, reason: CounterReason, detail: string) {
    this.counters[reason]++;
    this.log.debug({ peer: link.keyHex || link.address, reason, detail }, 'peer frame dropped');
    if (link.state !== 'open') return;
    if (link.strike(this.timers.now()) > this.limits.misbehaviourPerMinute) {
      this.counters.misbehaving++;
      this.bans.set(link.keyHex, this.timers.now() + this.limits.banMs);
      this.log.warn(
        { peer: link.keyHex, address: link.address, reason },
        'peer keeps misbehaving: disconnected',
      );
      this.closeLink(link, CLOSE.misbehaving, 'misbehaving');
    }
  }

  send(link: Link, frame: Uint8Array, priority: Priority) {
    const dropped = link.send(frame, priority);
    if (dropped > 0) this.counters.send_overflow += dropped;
  }

  // ------------------------------------------------------------------------------ frames

  private onMessage(link: Link, data: RawData, isBinary: boolean) {
    if (link.state === 'closed' || this.stopped) return;
    const bytes = toBytes(data);
    link.lastFrameAt = this.timers.now();
    if (!link.admit(bytes.length, link.lastFrameAt)) {
      if (link.state === 'handshake')
        return this.refuse(link, 'flood', CLOSE.protocol, 'flood during the handshake');
      return this.count(link, 'flood', `${bytes.length}-byte frame over budget`);
    }
    let frame: Frame;
    try {
      if (!isBinary) throw new FrameError('malformed', 'text frame');
      frame = decodeFrame(bytes, this.limits.maxPayload);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      if (link.state === 'handshake') return this.refuse(link, error.reason, CLOSE.protocol, error.message);
      return this.count(link, error.reason, error.message);
    }
    try {
      if (link.state === 'handshake') this.onHandshake(link, frame);
      else this.events.frame(link, frame, bytes);
    } catch (error) {
      this.log.error({ peer: link.keyHex, type: frame.type, err: error }, 'p2p frame handler failed');
    }
  }

  private onHandshake(link: Link, frame: Frame) {
    if (frame.type === 'hello') {
      if (link.hello) return this.refuse(link, 'malformed', CLOSE.protocol, 'a second hello');
      const hello = frame.hello;
      const check = checkHello(this.ctx, this.config.suite, hello);
      if (!check.ok) {
        return this.refuse(
          link,
          check.reason,
          check.reason === 'wrong_chain' ? CLOSE.wrongChain : CLOSE.protocol,
          check.detail,
        );
      }
      const peerHex = toHex(hello.nodeKey);
      const target = link.target === null ? null : this.targets[link.target]!;
      if (peerHex === this.keyHex) {
        if (target) target.self = true;
        return this.refuse(link, null, CLOSE.self, 'a link to itself');
      }
      if (!this.admitted.has(peerHex)) {
        return this.refuse(
          link,
          'unauthenticated',
          CLOSE.notAdmitted,
          `key ${peerHex.slice(0, 16)}… is not admitted`,
        );
      }
      if (target?.key && target.key !== peerHex) {
        return this.refuse(
          link,
          'unauthenticated',
          CLOSE.notAdmitted,
          `not the key configured for ${target.url}`,
        );
      }
      if (this.isBanned(peerHex))
        return this.refuse(link, 'banned', CLOSE.misbehaving, 'banned for misbehaving');
      link.hello = hello;
      link.setKey(hello.nodeKey);
      const signature = this.config.signer.sign(
        authSignBytes(this.ctx, hello.challenge, this.key, hello.nodeKey),
      );
      this.send(link, authFrame(signature), 'high');
      return;
    }
    if (frame.type === 'auth') {
      if (!link.hello || !link.key)
        return this.refuse(link, 'unauthenticated', CLOSE.protocol, 'auth before hello');
      if (!verifyAuth(this.ctx, this.config.suite, link.challenge, link.key, this.key, frame.signature)) {
        return this.refuse(link, 'bad_signature', CLOSE.badSignature, 'bad handshake signature');
      }
      return this.open(link);
    }
    this.refuse(link, 'unauthenticated', CLOSE.protocol, `${frame.type} before the handshake`);
  }

  /** The handshake succeeded: keep one link per key (the one dialed by the lower key), then go. */
  private open(link: Link) {
    if (!this.admitted.has(link.keyHex))
      return this.refuse(link, 'unauthenticated', CLOSE.notAdmitted, 'not admitted');
    const target = link.target === null ? null : this.targets[link.target]!;
    if (target && !target.key) target.learned = link.keyHex;
    const existing = this.links.get(link.keyHex);
    if (existing) {
      const weAreLower = compareBytes(this.key, link.key!) < 0;
      const preferred = (link.direction === 'outbound') === weAreLower;
      // The same direction twice means the peer reconnected: the older link is stale.
      const keepNew = existing.direction === link.direction || preferred;
      if (!keepNew) return this.closeLink(link, CLOSE.duplicate, 'already linked');
      this.closeLink(existing, CLOSE.duplicate, 'replaced by another link');
    }
    if (this.links.size >= this.limits.maxPeers) return this.closeLink(link, CLOSE.busy, 'too many peers');
    if (link.handshakeTimer) clearTimeout(link.handshakeTimer);
    link.handshakeTimer = null;
    this.pendingHandshakes--;
    link.state = 'open';
    setReceiveLimit(link.ws, this.limits.maxPayload);
    link.connectedSince = this.timers.now();
    this.links.set(link.keyHex, link);
    if (target) target.attempts = 0;
    this.log.info({ peer: link.keyHex, address: link.address, direction: link.direction }, 'peer connected');
    this.events.opened(link);
  }
}
