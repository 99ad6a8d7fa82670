// `gongxin-channels start`: one channel node as a process. It signs with the account in --key-file
// (created on first start), keeps its log in PostgreSQL (--database-url or DATABASE_URL) or in embedded
// PGlite under --data-dir, links to the nodes given with --peer, accepts links on --listen and serves its
// HTTP API on --api (loopback), with its Prometheus metrics at GET /metrics. When ready it prints one JSON
// line: {"ready":true, address, linkPort, api, chainId, restored: {checkpoint, replayed}} (`restored`: the
// records it started from, read from its log's newest checkpoint and replayed after it).
// SIGTERM and SIGINT stop it cleanly; after a crash it starts again from its log.
// `gongxin-channels watch`: a watcher service (its own key and store) that nodes started with --watcher
// hand their proofs to; it challenges closes with older states while they are offline.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createChainClient } from '@gongxin/client';
import { MAX_LOCK_MS } from '@gongxin/contracts';
import { openDatabase } from '@gongxin/db';
import { type CryptoSuite, fromHex, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { createMetrics } from '@gongxin/telemetry';
import { serveChannelApi } from './api';
import { ChannelNodeRuntime, DEFAULT_MACHINE, MAX_FAILURE_MEMORY_MS, MAX_HOPS } from './runtime';
import { WatchService } from './watch';

const USAGE = `usage: gongxin-channels start --chain <node API url> [--key-file <path>] [--data-dir <dir>]
       [--database-url <url>] [--listen <port>] [--host <addr>] [--api <port>] [--peer <ws://host:port>]…
       [--allow-origin <browser origin>]… [--hub-max-deposit <amount>] [--watcher <http://host:port>]
       [--max-in-flight-per-peer <n>] [--checkpoint-records <n>] [--pay-attempts <n>]
       [--failure-memory-ms <ms>] [--hop-delta-ms <ms>]
       gongxin-channels watch --chain <node API url> [--key-file <path>] [--data-dir <dir>]
       [--database-url <url>] [--listen <port>] [--host <addr>]`;

function loadKey(suite: CryptoSuite, keyFile: string): Uint8Array {
  if (existsSync(keyFile))
    return fromHex((JSON.parse(readFileSync(keyFile, 'utf8')) as { privateKey: string }).privateKey);
  const privateKey = suite.randomPrivateKey();
  writeFileSync(keyFile, `${JSON.stringify({ suite: suite.id, privateKey: toHex(privateKey) })}\n`, {
    mode: 0o600,
  });
  return privateKey;
}

async function watch(rest: string[]): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: {
      chain: { type: 'string' },
      'key-file': { type: 'string' },
      'data-dir': { type: 'string', default: '.data/watcher' },
      'database-url': { type: 'string' },
      listen: { type: 'string', default: '7402' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  if (!values.chain || !/^\d{1,5}$/.test(values.listen)) {
    console.error(USAGE);
    return 2;
  }
  const client = createChainClient({ url: values.chain });
  const suite = getSuite((await client.identity()).suite.id);
  mkdirSync(values['data-dir'], { recursive: true });
  const privateKey = loadKey(suite, values['key-file'] ?? path.join(values['data-dir'], 'watcher-key.json'));
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  const database = await openDatabase(url ? { url } : { dataDir: values['data-dir'], name: 'watcher' });
  const service = await WatchService.start({
    database,
    client: createChainClient({ url: values.chain, suite }),
    suite,
    privateKey,
    port: Number(values.listen),
    host: values.host,
    revealMarginMs: DEFAULT_MACHINE.revealMarginMs,
    onProblem: (p) => console.error(`[watcher] ${p}`),
  });
  console.log(JSON.stringify({ ready: true, address: service.address, port: service.port }));
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await service.stop();
  await database.close();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'watch') return watch(rest);
  if (command !== 'start') {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      chain: { type: 'string' },
      'key-file': { type: 'string' },
      'data-dir': { type: 'string', default: '.data/channels' },
      'database-url': { type: 'string' },
      listen: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      api: { type: 'string', default: '0' },
      peer: { type: 'string', multiple: true, default: [] },
      // Holds each log commit open this long, as a slow disk would (crash tests).
      'commit-delay-ms': { type: 'string', default: '0' },
      // Browser origins the HTTP API answers (the suite's address, where the wallet page is served).
      'allow-origin': { type: 'string', multiple: true, default: [] },
      // A hub: match the deposits of channels opened to it, up to this much per asset.
      'hub-max-deposit': { type: 'string' },
      // A watcher service to hand proofs to (gongxin-channels watch).
      watcher: { type: 'string' },
      // The most payments in flight to one peer (first hop); more are refused at once (peer_busy).
      'max-in-flight-per-peer': { type: 'string' },
      // A checkpoint of the log after this many records: a restart replays only the records after it.
      'checkpoint-records': { type: 'string' },
      // The most routes one payment is tried over when its first hop refuses it (lock_limit, no capacity).
      'pay-attempts': { type: 'string' },
      // How long routes avoid a hop a payment failed at (mission control), ms.
      'failure-memory-ms': { type: 'string' },
      // Expiry taken off per hop of a payment's route (a payment's whole budget is MAX_HOPS of them):
      // longer than the default for payers whose retries may wait on a slow restart or link.
      'hop-delta-ms': { type: 'string' },
    },
  });
  if (!values.chain) {
    console.error(USAGE);
    return 2;
  }
  const hubMax = values['hub-max-deposit'];
  if (hubMax !== undefined && !/^\d{1,20}$/.test(hubMax)) {
    console.error('--hub-max-deposit: an integer amount in the smallest unit');
    return 2;
  }
  const maxInFlight = values['max-in-flight-per-peer'];
  if (maxInFlight !== undefined && !/^[1-9]\d{0,8}$/.test(maxInFlight)) {
    console.error('--max-in-flight-per-peer: a positive integer (payments)');
    return 2;
  }
  const checkpointRecords = values['checkpoint-records'];
  if (checkpointRecords !== undefined && !/^[1-9]\d{0,8}$/.test(checkpointRecords)) {
    console.error('--checkpoint-records: a positive integer (log records)');
    return 2;
  }
  const payAttempts = values['pay-attempts'];
  if (payAttempts !== undefined && !/^[1-9]\d{0,2}$/.test(payAttempts)) {
    console.error('--pay-attempts: a positive integer (routes a payment is tried over)');
    return 2;
  }
  const failureMemory = values['failure-memory-ms'];
  if (
    failureMemory !== undefined &&
    (!/^[1-9]\d{0,7}$/.test(failureMemory) || Number(failureMemory) > MAX_FAILURE_MEMORY_MS)
  ) {
    console.error(
      `--failure-memory-ms: a whole number of milliseconds from 1 to ${MAX_FAILURE_MEMORY_MS} (how long routes avoid a hop a payment failed at)`,
    );
    return 2;
  }
  const hopDelta = values['hop-delta-ms'];
  const maxHopDelta = Math.floor(MAX_LOCK_MS / MAX_HOPS);
  if (
    hopDelta !== undefined &&
    (!/^\d{1,9}$/.test(hopDelta) ||
      Number(hopDelta) < DEFAULT_MACHINE.hopDeltaMs ||
      Number(hopDelta) > maxHopDelta)
  ) {
    console.error(
      `--hop-delta-ms: a whole number of milliseconds from ${DEFAULT_MACHINE.hopDeltaMs} to ${maxHopDelta} (expiry taken off per hop; it must exceed every channel's dispute window)`,
    );
    return 2;
  }
  const client = createChainClient({ url: values.chain });
  const { suite: chainSuite } = await client.identity();
  const suite = getSuite(chainSuite.id);
  const dataDir = values['data-dir'];
  mkdirSync(dataDir, { recursive: true });
  const keyFile = values['key-file'] ?? path.join(dataDir, 'channel-key.json');
  const privateKey = loadKey(suite, keyFile);
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  const database = await openDatabase(url ? { url } : { dataDir, name: 'channels' });
  const metrics = createMetrics();
  const node = await ChannelNodeRuntime.start({
    database,
    client: createChainClient({ url: values.chain, suite }),
    suite,
    privateKey,
    ...(values.listen !== undefined && { port: Number(values.listen), host: values.host }),
    peers: values.peer,
    commitDelayMs: Number(values['commit-delay-ms']),
    ...(hubMax !== undefined && { hub: { maxDeposit: BigInt(hubMax) } }),
    ...(values.watcher !== undefined && { watcher: values.watcher }),
    ...(maxInFlight !== undefined && { maxInFlightPerPeer: Number(maxInFlight) }),
    ...(checkpointRecords !== undefined && { checkpointRecords: Number(checkpointRecords) }),
    ...(payAttempts !== undefined && { payAttempts: Number(payAttempts) }),
    ...(failureMemory !== undefined && { failureMemoryMs: Number(failureMemory) }),
    ...(hopDelta !== undefined && { machine: { hopDeltaMs: Number(hopDelta) } }),
    metrics,
    onProblem: (p) => console.error(`[channels] ${p}`),
    // A failed log write leaves it unknown what is durable: exit, and start again from the log.
    onFatal: () => process.exit(1),
  });
  const api = await serveChannelApi(node, {
    port: Number(values.api),
    allowOrigins: values['allow-origin'],
    metrics,
  });
  console.log(
    JSON.stringify({
      ready: true,
      address: node.address,
      linkPort: node.port,
      api: api.url,
      chainId: node.chainId,
      // What the node started from: records of its newest checkpoint, and records replayed after it.
      restored: {
        checkpoint: node.log.counters.restoredFromCheckpoint,
        replayed: node.log.counters.replayed,
      },
    }),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await api.close();
  await node.stop();
  await database.close();
  return 0;
}
