// State sync in one process: a chain written by the generator (with txs in some blocks), a snapshot signed by the validators, and a fresh node that joins from it,
// verifies an old record's proof against the headers it kept, and starts at the snapshot's height.
// Every forged or short input the joining node must refuse is tried too.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, openDatabase } from '@gongxin/db';
import {
  type Block,
  type CommitCertificate,
  encodeBlock,
  encodeCanonical,
  encodeProofBundle,
  genesisHash,
  inclusionProof,
  leafHash,
  type MemoryState,
  toHex,
} from '@gongxin/ledger';
import { signedTx, testAccount } from '@gongxin/ledger/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExport, readExport } from '../src/export';
import { ChainNode } from '../src/node';
import { PeerNetwork } from '../src/p2p/network';
import { ChainStore } from '../src/storage/store';
import { generateChain } from '../src/sync/generate';
import { joinByStateSync } from '../src/sync/join';
import { verifyProofWithStore } from '../src/sync/proofs';
import { pruneBodies } from '../src/sync/prune';
import { Snapshotter, syncServer } from '../src/sync/server';
import { type SnapshotOffer, signManifest } from '../src/sync/snapshot';
import { type StateSyncSource, stateSync } from '../src/sync/state-sync';
import { chainId, contracts, genesisFor, quietLogger, signerOf, suite, users, validators } from './helpers';

const vals = validators(4);
const genesis = genesisFor(vals);
const keys = vals.map((v) => v.account);
const HEIGHT = 300;
const databases: Database[] = [];

async function fresh(): Promise<Database> {
  const db = await openDatabase({ memory: true });
  databases.push(db);
  return db;
}

/** Blocks 10, 20, …: a counter tx by a user (nonces in order). */
function txsAt(height: number, state: MemoryState): Uint8Array[] {
  if (height % 10 !== 0) return [];
  const user = users[(height / 10) % users.length]!;
  const nonce = (state.get(`core/nonce/${user.address}`) as number | undefined) ?? 0;
  return [signedTx(suite, chainId, user, nonce, [{ contract: 'counter', name: 'add', params: { by: 1 } }])];
}

let source: Database;
let server: ReturnType<typeof syncServer>;
let snapshots: Snapshotter;
let offer: SnapshotOffer;

beforeAll(async () => {
  source = await fresh();
  await generateChain({
    database: source,
    genesis,
    suite,
    contracts,
    keys,
    blocks: HEIGHT,
    txsAt,
    batch: 250,
  });
  const store = new ChainStore(source);
  const loaded = await store.load(chainId);
  snapshots = new Snapshotter({ suite, chainId, signer: null, chunkBytes: 512 });
  const built = snapshots.take(loaded.head, loaded.state);
  // Each validator signs the manifest it computed of the same state.
  snapshots.addVotes(
    HEIGHT,
    keys.map((k) =>
      signManifest(suite, built.manifest, { key: k.publicKey, sign: (b) => suite.sign(b, k.privateKey) }),
    ),
  );
  offer = snapshots.offers()[0]!;
  server = syncServer(store, snapshots);
}, 180_000);

afterAll(async () => {
  for (const db of databases) await db.close();
});

function sourceWith(patch: Partial<StateSyncSource> = {}): StateSyncSource {
  return {
    offers: async () => server.offers(),
    headers: (from, limit) => server.headers(from, limit),
    chunk: async (height, index) => {
      const bytes = server.chunk(height, index);
      if (!bytes) throw new Error(`no chunk ${index}`);
      return bytes;
    },
    ...patch,
  };
}

describe('state sync', () => {
  it('joins from a signed snapshot, keeps every header, verifies old proofs, and starts there', async () => {
    expect(offer.manifest.chunks.length).toBeGreaterThan(3);
    const db = await fresh();
    const result = await stateSync({
      database: db,
      genesis,
      suite,
      contracts,
      source: sourceWith(),
      headerBatch: 128,
    });
    expect(result.height).toBe(HEIGHT);
    expect(result.headers).toBe(HEIGHT);
    expect(result.certificatesChecked).toBe(HEIGHT);
    const store = new ChainStore(db);
    const theirs = await new ChainStore(source).load(chainId);
    const ours = await store.load(chainId);
    expect(ours.head.height).toBe(HEIGHT);
    expect(toHex(ours.head.blockHash)).toBe(toHex(theirs.head.blockHash));
    expect(ours.state.entries.size).toBe(theirs.state.entries.size);
    for (const [key, value] of theirs.state.entries)
      expect(toHex(encodeCanonical(ours.state.get(key)!))).toBe(toHex(encodeCanonical(value)));
    // No bodies below the snapshot: none are served to peers.
    expect(await store.blocksFrom(10, 5)).toEqual([]);
    expect(await store.bodiesFrom()).toBe(HEIGHT + 1);

    // The proof of a tx at height 30, made by a node that has the block, verifies on the new node.
    const [old] = await new ChainStore(source).blocksFrom(30, 1);
    const tx = old!.block.txs[0]!;
    const proof = inclusionProof(
      suite.hash,
      old!.block.txs.map((t) => leafHash(suite.hash, t)),
      0,
    );
    const bundle = encodeProofBundle({
      record: { kind: 'tx', bytes: tx },
      proof,
      header: old!.block.header,
      certificate: old!.certificate,
    });
    const verdict = await verifyProofWithStore(store, suite, chainId, bundle);
    expect(verdict.ok).toBe(true);
    // One byte of the record changed: refused.
    const forged = tx.slice();
    forged[forged.length - 1]! ^= 1;
    const bad = await verifyProofWithStore(
      store,
      suite,
      chainId,
      encodeProofBundle({
        record: { kind: 'tx', bytes: forged },
        proof,
        header: old!.block.header,
        certificate: old!.certificate,
      }),
    );
    expect(bad.ok).toBe(false);

    // The node starts at the snapshot's height with the synced state.
    const node = new ChainNode({ database: db, genesis, suite, contracts, logger: quietLogger });
    await node.start();
    expect(node.head.height).toBe(HEIGHT);
    await node.stop();
  }, 120_000);

  it('refuses a snapshot without a quorum of validator signatures', async () => {
    const db = await fresh();
    const weak = sourceWith({
      offers: async () => [{ manifest: offer.manifest, votes: offer.votes.slice(0, 2) }],
    });
    await expect(stateSync({ database: db, genesis, suite, contracts, source: weak })).rejects.toThrow(
      /not more than two thirds/,
    );
    // The half-written store is not a chain to start from.
    const node = new ChainNode({ database: db, genesis, suite, contracts, logger: quietLogger });
    await expect(node.start()).rejects.toThrow(/state sync into this database was interrupted/);
  }, 120_000);

  it('refuses a chunk that is not the manifest’s', async () => {
    const db = await fresh();
    const tampered = sourceWith({
      chunk: async (height, index) => {
        const bytes = server.chunk(height, index)!.slice();
        if (index === 1) bytes[bytes.length - 1]! ^= 1;
        return bytes;
      },
    });
    await expect(stateSync({ database: db, genesis, suite, contracts, source: tampered })).rejects.toThrow(
      /chunk 1 does not match/,
    );
  }, 120_000);

  it('refuses a header chain with a forged certificate', async () => {
    const db = await fresh();
    const forged = sourceWith({
      headers: async (from, limit) => {
        const batch = await server.headers(from, limit);
        return {
          ...batch,
          headers: batch.headers.map((h) =>
            h.header.height === 77
              ? { ...h, certificate: { ...h.certificate, signatures: h.certificate.signatures.slice(0, 2) } }
              : h,
          ),
        };
      },
    });
    await expect(stateSync({ database: db, genesis, suite, contracts, source: forged })).rejects.toThrow(
      /header 77: signatures hold/,
    );
  }, 120_000);
});

describe('state sync checking only the certificates of set changes and batch ends', () => {
  it('checks far fewer signatures and still refuses a header changed in the middle of a batch', async () => {
    const db = await fresh();
    const result = await stateSync({
      database: db,
      genesis,
      suite,
      contracts,
      source: sourceWith(),
      headerBatch: 100,
      certificates: 'changes',
    });
    expect(result.height).toBe(HEIGHT);
    expect(result.certificatesChecked).toBe(Math.ceil(HEIGHT / 100));
    const tampered = sourceWith({
      headers: async (from, limit) => {
        const batch = await server.headers(from, limit);
        return {
          ...batch,
          headers: batch.headers.map((h) =>
            h.header.height === 77 ? { ...h, header: { ...h.header, time: h.header.time + 1 } } : h,
          ),
        };
      },
    });
    await expect(
      stateSync({
        database: await fresh(),
        genesis,
        suite,
        contracts,
        source: tampered,
        headerBatch: 100,
        certificates: 'changes',
      }),
    ).rejects.toThrow(/header 77: certificate is for another block/);
  }, 120_000);
});

describe('state sync over the peer link', () => {
  it('a fresh node joins from a serving node over WebSockets and starts at its head', async () => {
    const gHash = genesisHash(suite, genesis);
    const serverKey = vals[0]!.account;
    const joinerKey = testAccount(suite, 500);
    const admitted = [...vals.map((v) => v.validator.key), joinerKey.publicKey];
    // The serving node: a validator of the chain (it signs its snapshot); the others' signatures reach
    // it as they would from its peers.
    const served = new Snapshotter({
      suite,
      chainId,
      signer: signerOf(serverKey),
      interval: HEIGHT,
      chunkBytes: 512,
    });
    const serveStore = new ChainStore(source);
    const serverNet = new PeerNetwork({
      suite,
      chainId,
      genesisHash: gHash,
      signer: signerOf(serverKey),
      listen: { host: '127.0.0.1', port: 0 },
      admitted,
      logger: quietLogger,
      sync: syncServer(serveStore, served),
    });
    const serverNode = new ChainNode({
      database: source,
      genesis,
      suite,
      contracts,
      logger: quietLogger,
      network: serverNet,
      onState: (head, state) => served.observe(head, state),
    });
    serverNet.attach(serverNode);
    await serverNode.start();
    const built = served.snapshot(HEIGHT)!;
    expect(built).toBeDefined();
    served.addVotes(
      HEIGHT,
      keys.slice(1).map((k) => signManifest(suite, built.manifest, signerOf(k))),
    );
    const { port } = await serverNet.start();

    const db = await fresh();
    const joinerNet = new PeerNetwork({
      suite,
      chainId,
      genesisHash: gHash,
      signer: signerOf(joinerKey),
      peers: [{ url: `ws://127.0.0.1:${port}`, key: toHex(serverKey.publicKey) }],
      admitted,
      logger: quietLogger,
    });
    await joinerNet.start();
    try {
      const result = await joinByStateSync({
        network: joinerNet,
        database: db,
        genesis,
        suite,
        contracts,
        headerBatch: 100,
      });
      expect(result.height).toBe(HEIGHT);
      expect(result.chunks).toBe(built.chunks.length);
      const joiner = new ChainNode({
        database: db,
        genesis,
        suite,
        contracts,
        logger: quietLogger,
        network: joinerNet,
      });
      joinerNet.attach(joiner);
      await joiner.start();
      expect(joiner.head.height).toBe(HEIGHT);
      expect(toHex(joiner.head.blockHash)).toBe(toHex(serverNode.head.blockHash));
      await joiner.stop();
    } finally {
      await joinerNet.stop();
      await serverNet.stop();
      await serverNode.stop();
    }
  }, 120_000);
});

describe('block sync in batches', () => {
  it('a node given the chain in batches of 100 ends with the same head and state, and stops at a forged block', async () => {
    const theirs = new ChainStore(source);
    const db = await fresh();
    const node = new ChainNode({ database: db, genesis, suite, contracts, logger: quietLogger });
    await node.start();
    // Each batch is stored in one transaction.
    const transactions: number[] = [];
    const commitBlocks = node.store.commitBlocks.bind(node.store);
    node.store.commitBlocks = (items) => {
      transactions.push(items.length);
      return commitBlocks(items);
    };
    try {
      for (let from = 1; from <= 200; from += 100) {
        const blocks = (await theirs.blocksFrom(from, 100)).map((b) => ({
          block: b.block,
          certificate: b.certificate,
        }));
        expect(await node.receiveCommitted(blocks)).toBe(100);
      }
      expect(node.head.height).toBe(200);
      // Block 250's certificate lacks a quorum: 201–249 are applied and stored, nothing after.
      const next = (await theirs.blocksFrom(201, 100)).map((b) => ({
        block: b.block,
        certificate: b.certificate,
      }));
      next[49] = {
        ...next[49]!,
        certificate: { ...next[49]!.certificate, signatures: next[49]!.certificate.signatures.slice(0, 1) },
      };
      expect(await node.receiveCommitted(next)).toBe(49);
      expect(node.head.height).toBe(249);
      expect(node.stats.badMessages).toBe(1);
      const rest = (await theirs.blocksFrom(250, 51)).map((b) => ({
        block: b.block,
        certificate: b.certificate,
      }));
      expect(await node.receiveCommitted(rest)).toBe(51);
      expect(transactions).toEqual([100, 100, 49, 51]);
      const mine = await new ChainStore(db).load(chainId);
      const reference = await theirs.load(chainId);
      expect(toHex(mine.head.blockHash)).toBe(toHex(reference.head.blockHash));
      expect(mine.state.entries.size).toBe(reference.state.entries.size);
      for (const [key, value] of reference.state.entries)
        expect(toHex(encodeCanonical(mine.state.get(key)!))).toBe(toHex(encodeCanonical(value)));
      expect(await new ChainStore(db).count('txs')).toBe(await theirs.count('txs'));
      expect(await new ChainStore(db).count('events')).toBe(await theirs.count('events'));
    } finally {
      await node.stop();
    }
  }, 120_000);
});

describe('pruning old block bodies', () => {
  it('archives and drops bodies below a height, keeps headers so old proofs verify, and still starts', async () => {
    const db = await fresh();
    await generateChain({ database: db, genesis, suite, contracts, keys, blocks: 100, txsAt });
    const store = new ChainStore(db);
    const before = await store.blocksFrom(30, 1);
    const archive = path.join(mkdtempSync(path.join(tmpdir(), 'gongxin-prune-')), 'archive.gxe');
    const result = await pruneBodies(store, chainId, 60, { archive });
    expect(result).toEqual({ bodiesFrom: 60, archived: { file: archive, fromHeight: 1, toHeight: 59 } });
    // The archive holds every pruned block whole.
    const checked = await checkExport(archive);
    expect(checked.blocks).toBe(59);
    const archived: { block: Block; certificate: CommitCertificate }[] = [];
    for await (const item of readExport(archive)) if (Array.isArray(item)) archived.push(...item);
    expect(toHex(encodeBlock(archived[29]!.block))).toBe(toHex(encodeBlock(before[0]!.block)));
    // Bodies below 60 are gone, headers are not; those above are whole.
    expect(await store.blocksFrom(30, 1)).toEqual([]);
    expect((await store.headersFrom(30, 1))[0]!.header.height).toBe(30);
    expect((await store.blocksFrom(60, 1))[0]!.block.txs).toHaveLength(1);
    expect(await store.count('txs')).toBe(5); // 60, 70, …, 100
    // A record's proof made from the archive verifies against the pruned store.
    const old = archived[29]!;
    const bundle = encodeProofBundle({
      record: { kind: 'tx', bytes: old.block.txs[0]! },
      proof: inclusionProof(
        suite.hash,
        old.block.txs.map((t) => leafHash(suite.hash, t)),
        0,
      ),
      header: old.block.header,
      certificate: old.certificate,
    });
    expect((await verifyProofWithStore(store, suite, chainId, bundle)).ok).toBe(true);
    // Pruning again below the floor does nothing.
    expect(await pruneBodies(store, chainId, 40)).toEqual({ bodiesFrom: 60, archived: null });
    const node = new ChainNode({ database: db, genesis, suite, contracts, logger: quietLogger });
    await node.start();
    expect(node.head.height).toBe(100);
    await node.stop();
  }, 120_000);
});

describe('pipelined block sync', () => {
  it('asks for the next batches while one is applied, at most syncPipeline of them (back-pressure)', async () => {
    const gHash = genesisHash(suite, genesis);
    const serverKey = vals[0]!.account;
    const followerKey = testAccount(suite, 501);
    const admitted = [serverKey.publicKey, followerKey.publicKey];
    const theirs = new ChainStore(source);
    const asked: number[] = [];
    const serving = {
      head: { height: HEIGHT },
      stats: { round: 0 },
      validators: [],
      store: {
        blocksFrom: (from: number, limit: number) => {
          asked.push(from);
          return theirs.blocksFrom(from, limit);
        },
      },
      receiveConsensus: () => {},
      receiveTx: () => undefined,
      receiveCommitted: async () => 0,
    };
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const received: number[] = [];
    const following = {
      head: { height: 0 },
      stats: { round: 0 },
      validators: [],
      store: { blocksFrom: async () => [] },
      receiveConsensus: () => {},
      receiveTx: () => undefined,
      receiveCommitted: async (blocks: { block: { header: { height: number } } }[]) => {
        received.push(blocks[0]!.block.header.height);
        await gate;
        following.head.height = blocks[blocks.length - 1]!.block.header.height;
        return blocks.length;
      },
    };
    const limits = { statusIntervalMs: 100, syncPipeline: 2 };
    const server = new PeerNetwork(
      {
        suite,
        chainId,
        genesisHash: gHash,
        signer: signerOf(serverKey),
        listen: { host: '127.0.0.1', port: 0 },
        admitted,
        limits,
        logger: quietLogger,
      },
      serving,
    );
    const { port } = await server.start();
    const follower = new PeerNetwork(
      {
        suite,
        chainId,
        genesisHash: gHash,
        signer: signerOf(followerKey),
        peers: [{ url: `ws://127.0.0.1:${port}`, key: toHex(serverKey.publicKey) }],
        admitted,
        limits,
        logger: quietLogger,
      },
      following,
    );
    await follower.start();
    try {
      const until = Date.now() + 20_000;
      while (received.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      // Two batches arrived while the first is still being applied; no third is asked for until one is done.
      expect(received).toEqual([1, 101]);
      await new Promise((r) => setTimeout(r, 500));
      expect(asked).toEqual([1, 101]);
      expect(following.head.height).toBe(0);
      open();
      while (following.head.height < HEIGHT && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      expect(following.head.height).toBe(HEIGHT);
      expect(asked).toEqual([1, 101, 201]);
    } finally {
      await follower.stop();
      await server.stop();
    }
  }, 120_000);
});
