// A small driver for tests of the machine: nodes with real Ed25519 keys, messages delivered in order when
// `deliver()` is called, writes made durable only when `persistAll()` is called, so a test can look at
// what a node does before and after its write.
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount } from '@gongxin/ledger/testing';
import { Rng } from '@gongxin/sim';
import {
  type ChannelInfo,
  ChannelNode,
  type DurableRecord,
  type Effect,
  type NodeConfig,
} from '../src/machine';
import type { Message } from '../src/messages';

export const suite = getSuite('ed25519-sha256');

/** The project's seeded generator as a function giving floats in [0, 1), for tests that draw inputs. */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.float();
}
export const CHAIN = 'gongxin-test';
export const DISPUTE_MS = 10_000;
export const MARGIN_MS = 2_000;
export const HOP_MS = DISPUTE_MS + 2 * MARGIN_MS;

export class Harness {
  readonly nodes: ChannelNode[] = [];
  /** Each node's configuration (to restore one from its records). */
  readonly configs: NodeConfig[] = [];
  readonly accounts;
  readonly effects: Effect[][] = [];
  readonly durable: DurableRecord[][] = [];
  readonly pendingWrites: { seq: number; records: readonly DurableRecord[] }[][] = [];
  readonly wire: { from: number; to: number; msg: Message }[] = [];
  now = 1_000_000;
  /** Nodes cut off: nothing they send or should receive is delivered. */
  readonly cut = new Set<number>();
  /** Message kinds dropped on the wire. */
  readonly dropKinds = new Set<Message['t']>();

  constructor(
    count: number,
    config: Partial<NodeConfig> = {},
    perNode: (i: number) => Partial<NodeConfig> = () => ({}),
  ) {
    this.accounts = Array.from({ length: count }, (_, i) => testAccount(suite, 500 + i));
    for (const account of this.accounts) {
      const nodeConfig: NodeConfig = {
        suite,
        chainId: CHAIN,
        privateKey: account.privateKey,
        maxBatch: 256,
        retransmitMs: 500,
        revealMarginMs: MARGIN_MS,
        hopDeltaMs: HOP_MS,
        ...config,
        ...perNode(this.nodes.length),
      };
      this.configs.push(nodeConfig);
      this.nodes.push(new ChannelNode(nodeConfig));
      this.effects.push([]);
      this.durable.push([]);
      this.pendingWrites.push([]);
    }
    for (const node of this.nodes) node.tick(this.now);
  }

  address(i: number): string {
    return this.accounts[i]!.address;
  }

  /** A channel between nodes x and y with these deposits of each side, as the chain would report it. */
  open(id: string, x: number, y: number, deposits: Record<string, [bigint, bigint]>): ChannelInfo {
    const info: ChannelInfo = {
      id,
      a: this.address(x),
      b: this.address(y),
      aKey: this.accounts[x]!.publicKey,
      bKey: this.accounts[y]!.publicKey,
      disputeMs: DISPUTE_MS,
      deposits: Object.fromEntries(Object.entries(deposits).map(([s, [a, b]]) => [s, { a, b }])),
    };
    this.nodes[x]!.addChannel(info);
    this.nodes[y]!.addChannel(info);
    this.collect();
    this.persistAll();
    return info;
  }

  /** Takes every node's effects: writes are held, messages go on the wire. */
  collect(): void {
    for (const [i, node] of this.nodes.entries()) {
      for (const e of node.drain()) {
        this.effects[i]!.push(e);
        if (e.t === 'persist') this.pendingWrites[i]!.push({ seq: e.seq, records: e.records });
        if (e.t === 'send')
          this.wire.push({ from: i, to: this.accounts.findIndex((a) => a.address === e.to), msg: e.msg });
      }
    }
  }

  /** Confirms every pending write. */
  persistAll(): void {
    for (let round = 0; round < 10; round++) {
      let any = false;
      for (const [i, node] of this.nodes.entries()) {
        const writes = this.pendingWrites[i]!.splice(0);
        for (const w of writes) {
          any = true;
          this.durable[i]!.push(...w.records);
          node.persisted(w.seq);
        }
      }
      this.collect();
      if (!any) return;
    }
  }

  /** Delivers everything on the wire (and what it causes), persisting writes as they come. */
  settle(rounds = 50): void {
    for (let r = 0; r < rounds; r++) {
      this.persistAll();
      const batch = this.wire.splice(0);
      if (batch.length === 0) return;
      for (const { from, to, msg } of batch) {
        if (this.cut.has(from) || this.cut.has(to) || this.dropKinds.has(msg.t)) continue;
        this.nodes[to]!.receive(this.address(from), msg);
      }
      this.collect();
    }
  }

  tick(ms = 10): void {
    this.now += ms;
    for (const node of this.nodes) node.tick(this.now);
    this.collect();
  }

  outcomes(i: number): [string, string][] {
    return this.effects[i]!.flatMap((e) =>
      e.t === 'outcome' ? [[e.id, e.outcome] as [string, string]] : [],
    );
  }

  sent(i: number, t: Message['t']): Message[] {
    return this.effects[i]!.flatMap((e) => (e.t === 'send' && e.msg.t === t ? [e.msg] : []));
  }
}
