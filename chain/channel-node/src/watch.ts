// The watcher as a service apart from the node (`gongxin-channels watch`): it defends parties that are
// offline. A node hands it, over HTTP, the machine's watcher effects: the newest proof of each peer's
// payments the node countersigned, and the preimages it released. The service checks every proof against
// the channel's keys on chain before keeping it (a proof it could not use in a challenge is refused, so
// nobody can fill its store with junk), keeps ONE per client, channel and asset in its database (storage
// bounded by channels, not by payments), follows the chain, and when a channel it holds closes with
// anything older, challenges with the newer proof before the deadline; a preimage it holds goes on chain
// before its lock expires unless the client reported the lock paid. The decisions are the pure
// `Watcher`'s (`@gongxin/channels`); this is its I/O. Proofs are self-authenticating, so the hand-off
// needs no login: what it accepts can only ever help the party that countersigned it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Watcher } from '@gongxin/channels';
import type { ChainClient } from '@gongxin/client';
import { countersignBytes, hashlockOf, locksRootOf, sumLocks, verifyBalanceProof } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import { addressFromPublicKey, type CryptoSuite, decodeCanonical, equalBytes } from '@gongxin/ledger';
import { and, eq, sql } from 'drizzle-orm';
import { ChainBridge } from './chain';
import { CodecError, decodeWatchItem, decodeWatchItems, encodeWatchItems, type WatchItem } from './codec';
import { channelNodeMigrations } from './log';
import { watchPreimage, watchProof } from './schema';

/** Largest hand-off body accepted, bytes. */
export const MAX_WATCH_BODY = 16 * 1024 * 1024;

export interface WatchServiceOptions {
  database: Database;
  client: ChainClient;
  suite: CryptoSuite;
  /** The watcher's own account: it signs the challenges and reveals it sends. */
  privateKey: Uint8Array;
  /** Serve the hand-off API on this port (0: any free one); none when absent (in-process use). */
  port?: number;
  host?: string;
  /** How long before a lock's expiry a held preimage goes on chain (the nodes' `revealMarginMs`). */
  revealMarginMs: number;
  tickMs?: number;
  onProblem?: (problem: string) => void;
}

export interface WatchCounters {
  /** Items handed over. */
  items: number;
  /** Proofs kept (newer than the one held). */
  kept: number;
  /** Proofs older than or equal to the one held. */
  stale: number;
  /** Items refused, by reason. */
  refused: Record<string, number>;
  challenges: number;
  reveals: number;
}

type WatchProofItem = WatchItem & { t: 'watch' };

export class WatchService {
  readonly address: string;
  readonly counters: WatchCounters = { items: 0, kept: 0, stale: 0, refused: {}, challenges: 0, reveals: 0 };
  /** The HTTP port (when serving). */
  port: number | null = null;
  private readonly chain: ChainBridge;
  /** One pure watcher per client: each keeps one proof per channel and asset. */
  private readonly watchers = new Map<string, Watcher>();
  /** Nonces held, per client/channel/asset, to answer "newer?" without the watcher's internals. */
  private readonly nonces = new Map<string, number>();
  private readonly onChain = new Set<string>();
  private readonly channelKeys = new Map<
    string,
    { a: string; b: string; aKey: Uint8Array; bKey: Uint8Array }
  >();
  private server: Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  private chainId = '';
  private stopped = false;

  private constructor(private readonly opts: WatchServiceOptions) {
    this.address = addressFromPublicKey(opts.suite, opts.suite.publicKeyFromPrivate(opts.privateKey));
    this.chain = new ChainBridge(opts.client, opts.suite, opts.privateKey, opts.onProblem);
  }

  static async start(opts: WatchServiceOptions): Promise<WatchService> {
    await opts.database.migrate(channelNodeMigrations);
    const service = new WatchService(opts);
    service.chainId = (await opts.client.identity()).chainId;
    await service.load();
    service.chain.follow(1, (event) => service.onEvent(event.name, event.attrs as Record<string, unknown>));
    service.timer = setInterval(() => void service.tick(), opts.tickMs ?? 200);
    if (opts.port !== undefined) await service.listen(opts.port, opts.host ?? '127.0.0.1');
    return service;
  }

  /** What it holds: proofs (one per client, channel and asset) and preimages. */
  held(): { proofs: number; preimages: number } {
    let proofs = 0;
    let preimages = 0;
    for (const w of this.watchers.values()) {
      const s = w.size();
      proofs += s.proofs;
      preimages += s.preimages;
    }
    return { proofs, preimages };
  }

  /**
   * Checks and keeps a hand-off's items, durably, before answering. A proof must be of a channel on this
   * chain, signed by the sender's key and countersigned by the other party's, with its locks matching
   * its root and sum: otherwise it is refused with the reason.
   */
  async take(
    items: readonly WatchItem[],
  ): Promise<{ kept: number; refused: { index: number; reason: string }[] }> {
    const refused: { index: number; reason: string }[] = [];
    const proofs: { client: string; item: WatchProofItem }[] = [];
    const preimages: { item: WatchItem & { t: 'watchPreimage' } }[] = [];
    const done: string[] = [];
    for (const [index, item] of items.entries()) {
      this.counters.items++;
      if (item.t === 'watchDone') {
        done.push(item.hashlock);
        continue;
      }
      if (item.t === 'watchPreimage') {
        if (hashlockOf(this.opts.suite, item.preimage) !== item.hashlock) {
          this.refuse(refused, index, 'preimage does not hash to its hashlock');
          continue;
        }
        preimages.push({ item });
        continue;
      }
      const reason = await this.check(item);
      if (reason) {
        this.refuse(refused, index, reason);
        continue;
      }
      const keys = this.channelKeys.get(item.channel)!;
      const client = item.side === 'a' ? keys.b : keys.a;
      const key = `${client}/${item.channel}/${item.proof.asset}`;
      const held = this.nonces.get(key) ?? 0;
      if (item.proof.nonce <= held) {
        this.counters.stale++;
        continue;
      }
      proofs.push({ client, item });
    }
    // Durable first: a proof acknowledged to the node is one a restart of the watcher still holds.
    await this.opts.database.db.transaction(async (tx) => {
      for (const { client, item } of proofs)
        await tx
          .insert(watchProof)
          .values({
            watcher: this.address,
            client,
            channel: item.channel,
            asset: item.proof.asset,
            nonce: item.proof.nonce,
            item: encodeWatchItems([item]),
          })
          .onConflictDoUpdate({
            target: [watchProof.watcher, watchProof.client, watchProof.channel, watchProof.asset],
            set: { nonce: item.proof.nonce, item: encodeWatchItems([item]) },
            setWhere: sql`${watchProof.nonce} < ${item.proof.nonce}`,
          });
      for (const { item } of preimages)
        await tx
          .insert(watchPreimage)
          .values({ watcher: this.address, hashlock: item.hashlock, item: encodeWatchItems([item]) })
          .onConflictDoNothing();
      for (const hashlock of done)
        await tx
          .delete(watchPreimage)
          .where(and(eq(watchPreimage.watcher, this.address), eq(watchPreimage.hashlock, hashlock)));
    });
    for (const { client, item } of proofs) this.keep(client, item);
    // Preimages are not any one client's: a reveal settles the lock on every hop.
    for (const { item } of preimages) this.watcherOf('').take(item);
    for (const hashlock of done) for (const w of this.watchers.values()) w.take({ t: 'watchDone', hashlock });
    return { kept: proofs.length, refused };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.chain.stop();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---------------------------------------------------------------------------------------- internals

  private refuse(refused: { index: number; reason: string }[], index: number, reason: string) {
    refused.push({ index, reason });
    const kind = reason.split(':')[0]!;
    this.counters.refused[kind] = (this.counters.refused[kind] ?? 0) + 1;
  }

  private watcherOf(client: string): Watcher {
    let w = this.watchers.get(client);
    if (!w) {
      w = new Watcher(this.opts.revealMarginMs);
      this.watchers.set(client, w);
    }
    return w;
  }

  private keep(client: string, item: WatchProofItem): void {
    const key = `${client}/${item.channel}/${item.proof.asset}`;
    if ((this.nonces.get(key) ?? 0) >= item.proof.nonce) return;
    this.nonces.set(key, item.proof.nonce);
    this.watcherOf(client).take(item);
    this.counters.kept++;
  }

  private async keysOf(channel: string) {
    const known = this.channelKeys.get(channel);
    if (known) return known;
    const c = await this.chain.channel(channel);
    if (!c) return undefined;
    const keys = { a: c.info.a, b: c.info.b, aKey: c.info.aKey, bKey: c.info.bKey };
    this.channelKeys.set(channel, keys);
    return keys;
  }

  /** Why a proof cannot be used in a challenge, or null. */
  private async check(item: WatchProofItem): Promise<string | null> {
    const { proof } = item;
    if (proof.chain !== this.chainId) return `wrong chain: ${proof.chain}`;
    if (proof.channel !== item.channel) return 'proof of another channel';
    const keys = await this.keysOf(item.channel);
    if (!keys) return `unknown channel: ${item.channel}`;
    const [sender, receiver] = item.side === 'a' ? [keys.aKey, keys.bKey] : [keys.bKey, keys.aKey];
    if (!verifyBalanceProof(this.opts.suite, proof, sender)) return "bad signature: not the sender's";
    if (!this.opts.suite.verify(item.countersignature, countersignBytes(proof), receiver))
      return "bad countersignature: not the receiver's";
    if (!equalBytes(locksRootOf(this.opts.suite, item.locks), proof.locksRoot))
      return "locks do not match: root differs from the proof's";
    if (sumLocks(item.locks) !== proof.locked) return "locks do not match: sum differs from the proof's";
    return null;
  }

  private async load(): Promise<void> {
    const rows = await this.opts.database.db
      .select()
      .from(watchProof)
      .where(eq(watchProof.watcher, this.address));
    for (const row of rows) {
      const item = decodeWatchItem(onlyItem(row.item)) as WatchProofItem;
      const keys = await this.keysOf(item.channel);
      if (keys) this.keep(row.client, item);
    }
    const pre = await this.opts.database.db
      .select()
      .from(watchPreimage)
      .where(eq(watchPreimage.watcher, this.address));
    for (const row of pre) this.watcherOf('').take(decodeWatchItem(onlyItem(row.item)));
  }

  private async onEvent(name: string, attrs: Record<string, unknown>): Promise<void> {
    if (name === 'preimageRevealed') {
      this.onChain.add(attrs.hashlock as string);
      return;
    }
    const channel = attrs.id as string;
    if (name === 'closing') {
      const state = (await this.opts.client.state(`channels/channel/${channel}`)).value as {
        status?: string;
        closing?: { proofs?: Record<string, { nonce?: number | string }> };
      } | null;
      if (state?.status !== 'closing') return;
      const kept = (asset: string, side: 'a' | 'b') =>
        Number(state.closing?.proofs?.[`${asset}/${side}`]?.nonce ?? 0);
      for (const w of this.watchers.values()) {
        const action = w.onClosing(channel, kept);
        if (!action) continue;
        this.counters.challenges++;
        const receipt = await this.chain.send(action).catch(() => null);
        if (receipt && !receipt.ok) this.opts.onProblem?.(`challenge of ${channel} refused: ${receipt.code}`);
      }
    } else if (name === 'settled') {
      for (const w of this.watchers.values()) w.forget(channel);
      for (const key of [...this.nonces.keys()]) if (key.includes(`/${channel}/`)) this.nonces.delete(key);
      await this.opts.database.db
        .delete(watchProof)
        .where(and(eq(watchProof.watcher, this.address), eq(watchProof.channel, channel)));
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    for (const w of this.watchers.values())
      for (const action of w.tick(now, (h) => this.onChain.has(h))) {
        this.counters.reveals++;
        await this.chain.send(action).catch(() => null);
      }
  }

  private async listen(port: number, host: string): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/status')
        return send(200, { address: this.address, held: this.held(), counters: this.counters });
      if (req.method !== 'POST' || path !== '/watch')
        return send(404, { error: `no route ${req.method} ${path}` });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_WATCH_BODY) {
          this.refuse([], 0, 'too large');
          return send(413, { error: `body larger than ${MAX_WATCH_BODY} bytes` });
        }
        chunks.push(chunk as Buffer);
      }
      let items: WatchItem[];
      try {
        items = decodeWatchItems(new Uint8Array(Buffer.concat(chunks)));
      } catch (error) {
        if (!(error instanceof CodecError)) throw error;
        this.refuse([], 0, 'malformed');
        return send(400, { error: error.message });
      }
      return send(200, await this.take(items));
    } catch (error) {
      this.opts.onProblem?.(`watch request: ${(error as Error).message}`);
      return send(503, { error: 'the watcher could not store the items; send them again' });
    }
  }
}

function onlyItem(bytes: Uint8Array) {
  const v = decodeCanonical(bytes);
  if (!Array.isArray(v) || v.length !== 1) throw new CodecError('stored watch item: expected one item');
  return v[0]!;
}

/**
 * The node's side of the hand-off: collects its watcher effects (only the newest proof per channel,
 * asset and side), and sends them to the watcher at `url` every `everyMs`, again after a failure.
 */
export class WatchHandoff {
  private readonly proofs = new Map<string, WatchItem>();
  private others: WatchItem[] = [];
  private timer: NodeJS.Timeout;
  private sending: Promise<void> | null = null;
  /** Items the watcher confirmed. */
  confirmed = 0;
  failures = 0;

  constructor(
    private readonly url: string,
    everyMs = 200,
    private readonly onProblem: (problem: string) => void = () => {},
  ) {
    this.timer = setInterval(() => void this.flush(), everyMs);
  }

  take(item: WatchItem): void {
    if (item.t === 'watch') this.proofs.set(`${item.channel}/${item.proof.asset}/${item.side}`, item);
    else this.others.push(item);
  }

  /** Nothing waiting to go. */
  idle(): boolean {
    return this.proofs.size === 0 && this.others.length === 0 && !this.sending;
  }

  async flush(): Promise<void> {
    if (this.sending) return this.sending;
    if (this.proofs.size === 0 && this.others.length === 0) return;
    const items = [...this.others, ...this.proofs.values()];
    const proofs = new Map(this.proofs);
    this.proofs.clear();
    this.others = [];
    this.sending = (async () => {
      try {
        const res = await fetch(`${this.url.replace(/\/$/, '')}/watch`, {
          method: 'POST',
          headers: { 'content-type': 'application/cbor' },
          body: new Uint8Array(encodeWatchItems(items)),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
        const answer = (await res.json()) as { refused: { index: number; reason: string }[] };
        for (const r of answer.refused) this.onProblem(`watcher refused an item: ${r.reason}`);
        this.confirmed += items.length;
      } catch (error) {
        // Put back what is not superseded by something newer taken meanwhile, and try again next time.
        this.failures++;
        this.onProblem(`watcher hand-off failed: ${(error as Error).message}`);
        for (const [key, item] of proofs) if (!this.proofs.has(key)) this.proofs.set(key, item);
        this.others = [...items.filter((i) => i.t !== 'watch'), ...this.others];
      } finally {
        this.sending = null;
      }
    })();
    return this.sending;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => {});
  }
}
