// The peer protocol's pieces without a chain: frames and their limits, the signed handshake bytes, the
// bounded send queue and flood budget of a link, and a pair of networks (on stub nodes) that follow
// validator-set changes and leave no handle behind when stopped.

import { type ConsensusMessage, encodeConsensusMessage, signVote } from '@gongxin/consensus';
import { encodeCanonical, toHex, type Validator } from '@gongxin/ledger';
import { testAccount } from '@gongxin/ledger/testing';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import {
  authSignBytes,
  blocksFrame,
  CLOSE,
  consensusFrame,
  decodeFrame,
  encodeFrame,
  FrameError,
  getBlocksFrame,
  helloFrame,
  Link,
  type LinkLimits,
  makeHello,
  newChallenge,
  type P2pNode,
  PeerNetwork,
  peekFrameType,
  statusFrame,
  txFrame,
  txsFrame,
} from '../src/p2p';
import { chainId, signerOf, suite } from './helpers';

const gHash = new Uint8Array(32).fill(9);
const a = testAccount(suite, 700);
const b = testAccount(suite, 701);

function reason(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    if (error instanceof FrameError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('frames', () => {
  it('round-trip every type, and read the type before decoding', () => {
    const vote = signVote(chainId, signerOf(a), 'prevote', 3, 0, null);
    const voteBytes = encodeConsensusMessage({ type: 'vote', vote });
    const frames = [
      helloFrame(makeHello({ chainId, genesisHash: gHash }, a.publicKey, newChallenge())),
      statusFrame(5, 1, [a.publicKey, b.publicKey]),
      consensusFrame('vote', voteBytes, a.publicKey),
      txFrame(new Uint8Array([1, 2, 3]), b.publicKey),
      txsFrame([new Uint8Array([1]), new Uint8Array([2, 3])], b.publicKey),
      getBlocksFrame(6, 100),
      blocksFrame(6, [{ block: new Uint8Array([1]), certificate: new Uint8Array([2]) }]),
    ];
    const types = frames.map((f) => decodeFrame(f).type);
    expect(types).toEqual(['hello', 'status', 'vote', 'tx', 'txs', 'get_blocks', 'blocks']);
    expect(frames.map(peekFrameType)).toEqual(types);
    const decoded = decodeFrame(frames[2]!);
    expect(
      decoded.type === 'vote' &&
        toHex(decoded.message.type === 'vote' ? decoded.message.vote.signature : new Uint8Array()),
    ).toBe(toHex(vote.signature));
  });

  it('refuse junk, unknown types, oversized frames and mislabelled messages with typed reasons', () => {
    const vote = signVote(chainId, signerOf(a), 'prevote', 3, 0, null);
    const voteBytes = encodeConsensusMessage({ type: 'vote', vote });
    expect(reason(() => decodeFrame(new Uint8Array([1, 2, 3])))).toBe('malformed');
    expect(reason(() => decodeFrame(encodeFrame('gossip', null)))).toBe('unknown_type');
    expect(
      reason(() => decodeFrame(encodeFrame('vote', { message: new Uint8Array(2000), origin: a.publicKey }))),
    ).toBe('oversized');
    expect(
      reason(() => decodeFrame(encodeFrame('proposal', { message: voteBytes, origin: a.publicKey }))),
    ).toBe('malformed');
    expect(reason(() => decodeFrame(getBlocksFrame(1, 101)))).toBe('malformed');
    expect(reason(() => decodeFrame(encodeFrame('status', { height: -1, round: 0, links: [] })))).toBe(
      'malformed',
    );
    // The socket's own limit caps every type.
    expect(reason(() => decodeFrame(txFrame(new Uint8Array(600), a.publicKey), 512))).toBe('oversized');
    // A txs batch: not empty, not over its count, every entry a tx-sized byte string.
    expect(reason(() => decodeFrame(txsFrame([], a.publicKey)))).toBe('malformed');
    const many = Array.from({ length: 1001 }, () => new Uint8Array([1]));
    expect(reason(() => decodeFrame(txsFrame(many, a.publicKey)))).toBe('malformed');
    expect(
      reason(() => decodeFrame(encodeFrame('txs', { txs: [new Uint8Array(0)], origin: a.publicKey }))),
    ).toBe('malformed');
    expect(reason(() => decodeFrame(encodeFrame('txs', { txs: ['not bytes'], origin: a.publicKey })))).toBe(
      'malformed',
    );
  });

  it('sign exactly the documented handshake bytes', () => {
    const challenge = new Uint8Array(32).fill(1);
    const bytes = authSignBytes(
      { chainId: 'gongxin-main', genesisHash: gHash },
      challenge,
      a.publicKey,
      b.publicKey,
    );
    expect(toHex(bytes)).toBe(
      toHex(
        encodeCanonical({
          type: 'p2p-auth',
          chainId: 'gongxin-main',
          genesisHash: gHash,
          challenge,
          from: a.publicKey,
          to: b.publicKey,
        }),
      ),
    );
    // Keys sorted by their encoded form: shorter names first.
    expect(toHex(bytes).slice(0, 12)).toBe('a662746f5820');
  });
});

// A socket stub that never drains, so that frames stay in the link's own queue.
function stuckSocket(): WebSocket & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    readyState: 1,
    OPEN: 1,
    bufferedAmount: Number.MAX_SAFE_INTEGER,
    sent,
    send: () => {},
  } as unknown as WebSocket & {
    sent: Uint8Array[];
  };
}

const linkLimits: LinkLimits = {
  socketHighWaterBytes: 1024,
  queueMaxBytes: 1 << 20,
  queueMaxFrames: 4,
  ratePerSecond: 10,
  rateBurst: 10,
  bytesPerSecond: 1 << 20,
  bytesBurst: 1 << 20,
  txsPerSecond: 100,
  txsBurst: 100,
};

describe('a link', () => {
  it('drops the oldest low-priority frames first when its queue is full, and never blocks', () => {
    const link = new Link(stuckSocket(), 'outbound', 'test', newChallenge(), linkLimits, 0);
    link.state = 'open';
    expect(link.send(new Uint8Array([1]), 'low')).toBe(0);
    expect(link.send(new Uint8Array([2]), 'high')).toBe(0);
    expect(link.send(new Uint8Array([3]), 'low')).toBe(0);
    expect(link.send(new Uint8Array([4]), 'high')).toBe(0);
    expect(link.send(new Uint8Array([5]), 'high')).toBe(1); // the oldest low one went
    expect(link.send(new Uint8Array([6]), 'high')).toBe(1); // then the other low one
    expect(link.send(new Uint8Array([7]), 'low')).toBe(1); // a low frame finds no room
    expect(link.send(new Uint8Array([8]), 'high')).toBe(1); // the oldest high frame goes last
    expect(link.queued).toBe(4);
  });

  it('charges incoming frames to a budget: a burst beyond it is a flood', () => {
    const link = new Link(stuckSocket(), 'inbound', 'test', newChallenge(), linkLimits, 0);
    const admitted = Array.from({ length: 15 }, () => link.admit(10, 0)).filter(Boolean).length;
    expect(admitted).toBe(10);
    expect(link.admit(10, 500)).toBe(true); // refilled at 10 a second
  });
});

type StubNode = P2pNode & { validators: Validator[]; fire(): void; received: ConsensusMessage[] };

function stubNode(validators: Validator[]): StubNode {
  const listeners = new Set<(b: { height: number }) => void>();
  const received: ConsensusMessage[] = [];
  return {
    head: { height: 0 },
    stats: { round: 0 },
    validators,
    store: { blocksFrom: async () => [] },
    receiveConsensus: (m) => received.push(m),
    receiveTx: () => undefined,
    receiveCommitted: async () => 0,
    onBlock(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fire() {
      for (const l of listeners) l({ height: 1 });
    },
    received,
  };
}

const validator = (account: typeof a): Validator => ({
  key: account.publicKey,
  power: 1,
  name: 'v',
  operator: 'gx1',
});

describe('two networks on stub nodes', () => {
  it('follow the validator set, carry gossip, and stop without leaving handles', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'));
    const socketsBefore = sockets().length;
    const nodeA = stubNode([validator(a), validator(b)]);
    const nodeB = stubNode([validator(a), validator(b)]);
    const limits = { statusIntervalMs: 100, reconnectBaseMs: 50, reconnectMaxMs: 200 };
    const netA = new PeerNetwork(
      {
        suite,
        chainId,
        genesisHash: gHash,
        signer: signerOf(a),
        listen: { host: '127.0.0.1', port: 0 },
        admitted: [],
        followValidators: true,
        limits,
      },
      nodeA,
    );
    const { port } = await netA.start();
    const netB = new PeerNetwork(
      {
        suite,
        chainId,
        genesisHash: gHash,
        signer: signerOf(b),
        peers: [{ url: `ws://127.0.0.1:${port}` }],
        admitted: [a.publicKey],
        limits,
      },
      nodeB,
    );
    await netB.start();
    const until = Date.now() + 5_000;
    while (netA.peers().length === 0 || netB.peers().length === 0) {
      if (Date.now() > until) throw new Error('no link');
      await new Promise((r) => setTimeout(r, 10));
    }
    const vote = signVote(chainId, signerOf(a), 'prevote', 1, 0, null);
    netA.broadcast({ type: 'vote', vote });
    while (nodeB.received.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(
      toHex(nodeB.received[0]!.type === 'vote' ? nodeB.received[0]!.vote.signature : new Uint8Array()),
    ).toBe(toHex(vote.signature));

    // Governance removes b: a's network, following the set, cuts it off at the next block.
    nodeA.validators = [validator(a)];
    nodeA.fire();
    expect(netA.peers()).toHaveLength(0);
    expect(CLOSE.notAdmitted).toBe(4001);

    await Promise.all([netA.stop(), netB.stop()]);
    await new Promise((r) => setTimeout(r, 20));
    expect(sockets()).toHaveLength(socketsBefore);
  });
});
