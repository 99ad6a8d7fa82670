// The channel node's view of the chain, through the client SDK: channel actions signed with the node's
// account and submitted; the channels contract's events followed in order (resuming from a height) and
// turned into what the machine and the router need; channel and preimage state read back.

import type { ChainAction, ChainEvent, ChannelInfo } from '@gongxin/channels';
import {
  accountFromPrivateKey,
  type ChainClient,
  type CommittedTxJson,
  createWallet,
  type EventJson,
  type Wallet,
} from '@gongxin/client';
import type { Action, CryptoSuite, JsonValue } from '@gongxin/ledger';
import { fromHex } from '@gongxin/ledger';

const bytesOf = (v: JsonValue | undefined): Uint8Array => {
  if (typeof v !== 'string' || !v.startsWith('0x'))
    throw new Error(`expected 0x-hex bytes, got ${String(v)}`);
  return fromHex(v.slice(2));
};
const bigOf = (v: JsonValue | undefined): bigint => {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) return BigInt(v);
  throw new Error(`expected an integer, got ${String(v)}`);
};

export interface ChainChannel {
  readonly info: ChannelInfo;
  readonly status: 'open' | 'closing' | 'settled';
  /** Block time from which `settle` is accepted (closing channels). */
  readonly settleFrom?: number;
  readonly closingBy?: string;
  readonly deadline?: number;
  readonly withdrawnA: boolean;
  readonly withdrawnB: boolean;
}

export function channelFromJson(value: JsonValue): ChainChannel {
  const c = value as { [key: string]: JsonValue };
  const assets = c.assets as { [symbol: string]: { depositA: JsonValue; depositB: JsonValue } };
  const deposits: Record<string, { a: bigint; b: bigint }> = {};
  for (const [symbol, d] of Object.entries(assets))
    deposits[symbol] = { a: bigOf(d.depositA), b: bigOf(d.depositB) };
  const info: ChannelInfo = {
    id: c.id as string,
    a: c.a as string,
    b: c.b as string,
    aKey: bytesOf(c.aKey),
    bKey: bytesOf(c.bKey),
    disputeMs: Number(c.disputeMs),
    deposits,
  };
  const closing = c.closing as
    | { by: string; deadline: number; proofs: { [key: string]: { locks: { expiry: number }[] } } }
    | undefined;
  let settleFrom: number | undefined;
  if (closing) {
    settleFrom = Number(closing.deadline);
    for (const p of Object.values(closing.proofs))
      for (const l of p.locks ?? []) settleFrom = Math.max(settleFrom, Number(l.expiry) + 1);
  }
  return {
    info,
    status: c.status as ChainChannel['status'],
    ...(settleFrom !== undefined && { settleFrom }),
    ...(closing && { closingBy: closing.by, deadline: Number(closing.deadline) }),
    withdrawnA: c.withdrawnA === true,
    withdrawnB: c.withdrawnB === true,
  };
}

export interface ChainCounters {
  submitted: number;
  /** Txs the chain refused (a late challenge or a second settle is normal). */
  refused: number;
  /** Submissions that did not reach the chain at all. */
  errors: number;
  events: number;
}

export class ChainBridge {
  readonly wallet: Wallet;
  readonly counters: ChainCounters = { submitted: 0, refused: 0, errors: 0, events: 0 };
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private caughtUpNow = false;
  private markCaughtUp: () => void = () => {};
  /**
   * Resolves once `follow` has handled every channels event up to the chain head it saw when it began
   * (what the chain said before this process started is all read again); never while the node is stopped.
   */
  readonly caughtUp: Promise<void> = new Promise((resolve) => {
    this.markCaughtUp = () => {
      this.caughtUpNow = true;
      resolve();
    };
  });

  /** Whether `caughtUp` has resolved. */
  get isCaughtUp(): boolean {
    return this.caughtUpNow;
  }

  constructor(
    readonly client: ChainClient,
    suite: CryptoSuite,
    privateKey: Uint8Array,
    private readonly onProblem: (problem: string) => void = () => {},
  ) {
    this.wallet = createWallet(client, accountFromPrivateKey(suite, privateKey));
  }

  /** Signs and submits one channels action; resolves with the receipt once committed. */
  async send(action: ChainAction): Promise<CommittedTxJson> {
    this.counters.submitted++;
    const a: Action = { contract: 'channels', name: action.name, params: action.params as never };
    try {
      const r = await this.wallet.send([a]);
      if (!r.ok) {
        this.counters.refused++;
        this.onProblem(`chain refused channels.${action.name}: ${r.code ?? ''} ${r.message ?? ''}`);
      }
      return r;
    } catch (error) {
      this.counters.errors++;
      this.onProblem(`channels.${action.name} did not reach the chain: ${(error as Error).message}`);
      throw error;
    }
  }

  async channel(id: string): Promise<ChainChannel | undefined> {
    try {
      const entry = await this.client.state(`channels/channel/${id}`);
      return entry.value === null ? undefined : channelFromJson(entry.value);
    } catch (error) {
      if ((error as { code?: string }).code === 'not_found') return undefined;
      throw error;
    }
  }

  async preimage(hashlock: string): Promise<{ preimage: Uint8Array; time: number } | undefined> {
    try {
      const entry = await this.client.state(`channels/preimage/${hashlock}`);
      const v = entry.value as { preimage: JsonValue; time: JsonValue } | null;
      return v ? { preimage: bytesOf(v.preimage), time: Number(v.time) } : undefined;
    } catch (error) {
      if ((error as { code?: string }).code === 'not_found') return undefined;
      throw error;
    }
  }

  /**
   * The channels contract's events from `fromHeight` on, in order, then live. `handle` runs one event at
   * a time (the next waits for it); a broken subscription is opened again after the last height seen.
   * `caughtUp` resolves once the events up to the head the chain had when it began are handled.
   */
  follow(fromHeight: number, handle: (event: EventJson) => Promise<void>): void {
    let next = Math.max(1, fromHeight);
    let chainOfWork = Promise.resolve();
    // The events handled so far: the newest one's height, and the keys of those handled at that height.
    const handled = { height: 0, keys: new Set<string>() };
    void this.watchCatchUp(next, handled);
    // Events of the newest block already handed on: a subscription opened again starts at that block.
    let seen = new Set<string>();
    let seenHeight = next;
    const open = () => {
      if (this.stopped) return;
      this.unsubscribe = this.client.subscribeEvents(
        { contract: 'channels', fromHeight: next },
        (event) => {
          const key = `${event.height}/${event.index}`;
          if (event.height < next || seen.has(key)) return;
          if (event.height !== seenHeight) {
            seen = new Set();
            seenHeight = event.height;
          }
          seen.add(key);
          this.counters.events++;
          chainOfWork = chainOfWork
            .then(() =>
              handle(event).catch((error) =>
                this.onProblem(`chain event ${event.name} at ${event.height}: ${(error as Error).message}`),
              ),
            )
            .then(() => {
              if (event.height !== handled.height) {
                handled.height = event.height;
                handled.keys = new Set();
              }
              handled.keys.add(key);
            });
          next = event.height;
        },
        (error) => {
          this.onProblem(`chain event subscription: ${error.message}`);
          this.unsubscribe?.();
          this.unsubscribe = null;
          setTimeout(open, 1_000);
        },
      );
    };
    open();
  }

  /**
   * Marks the feed caught up once every channels event from `from` up to the head the chain has now is
   * handled: the chain is asked for the events after the newest one handled (up to that head) until
   * none is left.
   */
  private async watchCatchUp(from: number, handled: { height: number; keys: Set<string> }): Promise<void> {
    let head: number | null = null;
    while (!this.stopped) {
      try {
        head ??= (await this.client.info()).head.height;
        if (handled.height > head) break;
        const page = await this.client.events({
          contract: 'channels',
          fromHeight: Math.max(from, handled.height),
          toHeight: Math.max(from, head),
          limit: 100,
        });
        const left = page.items.filter(
          (e) => e.height > handled.height || !handled.keys.has(`${e.height}/${e.index}`),
        );
        if (left.length === 0 && page.nextCursor === null) break;
      } catch (error) {
        this.onProblem(`chain head for the event feed: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!this.stopped) this.markCaughtUp();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

/** The machine's view of a channels event, when it has one. */
export function machineEventOf(
  event: EventJson,
):
  | { kind: 'channel'; id: string }
  | { kind: 'preimage'; hashlock: string }
  | { kind: 'closing'; ev: ChainEvent }
  | { kind: 'settled'; id: string; mode: string }
  | null {
  const attrs = event.attrs as { [key: string]: JsonValue };
  switch (event.name) {
    case 'opened':
    case 'deposited':
      return { kind: 'channel', id: attrs.id as string };
    case 'preimageRevealed':
      return { kind: 'preimage', hashlock: attrs.hashlock as string };
    case 'closing':
      return {
        kind: 'closing',
        ev: {
          t: 'closing',
          channel: attrs.id as string,
          by: attrs.by as string,
          deadline: Number(attrs.deadline),
        },
      };
    case 'settled':
      return { kind: 'settled', id: attrs.id as string, mode: attrs.mode as string };
    default:
      return null;
  }
}
