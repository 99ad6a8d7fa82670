// Two whole portal processes behind a round-robin proxy, on one PostgreSQL database, one real MQTT broker
// and one chain: the deployment docs/deploy.md describes. A third portal hosts the validator (its own
// database); the two replicas follow it through CHAIN_URL. Checked: one leader per background job across
// the two; a person signed in through passport keeps the session whichever replica answers; a client's
// rate limit is counted once across them; the leader killed with SIGKILL while txs commit, the other takes
// every job over, and the explorer's read model ends equal to the chain, every block indexed once.
// Needs PostgreSQL and a real broker: runs when TEST_DATABASE_URL and TEST_MQTT_URL are set.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cookieJar } from '@gongxin/app-kit/testing';
import { accountFromPrivateKey, createChainClient, createWallet } from '@gongxin/client';
import { openFreshPostgres, TEST_DATABASE_URL } from '@gongxin/db/testing';
import { toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts, loginMessage } from '@gongxin/passport-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const adminUrl = process.env[TEST_DATABASE_URL];
const mqttUrl = process.env.TEST_MQTT_URL;
if (!adminUrl || !mqttUrl)
  console.log(
    'portal replicas skipped: they need PostgreSQL and a real broker; set TEST_DATABASE_URL and TEST_MQTT_URL',
  );

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const suite = getSuite('ed25519-sha256');
const JOBS = ['explorer:indexer', 'food:indexer', 'wallet:indexer', 'passport:indexer'];

interface Portal {
  name: string;
  proc: ChildProcess;
  url: string;
  exited: Promise<unknown>;
  alive(): boolean;
}

function startPortal(name: string, env: Record<string, string>): Promise<Portal> {
  const proc = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: serverDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + String(d)).slice(-20_000);
  };
  proc.stderr?.on('data', keep);
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      keep(d);
      const url = /is running at (http:\/\/\S+)/.exec(output)?.[1];
      if (url)
        resolve({
          name,
          proc,
          url,
          exited,
          alive: () => proc.exitCode === null && proc.signalCode === null,
        });
    });
    proc.on('exit', (code) =>
      reject(new Error(`portal ${name} exited (${code}) before serving:\n${output}`)),
    );
  });
}

/** A load balancer in front of the replicas: each request to the next live one, headers (Host) as sent. */
function roundRobinProxy(
  targets: () => Portal[],
): Promise<{ url: string; server: http.Server; hits: Map<string, number> }> {
  let next = 0;
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const live = targets().filter((t) => t.alive());
    if (live.length === 0) {
      res.writeHead(503).end('no replica');
      return;
    }
    const target = live[next++ % live.length]!;
    hits.set(target.name, (hits.get(target.name) ?? 0) + 1);
    const upstream = http.request(
      `${target.url}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, server, hits });
    });
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first `count` distinct heights a server-sent-events stream announces. */
async function liveHeights(url: string, count: number, timeoutMs: number): Promise<number[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const heights: number[] = [];
  try {
    const res = await fetch(url, { signal: abort.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (const m of buffer.matchAll(/data: \{"height":(\d+)\}/g)) {
        const h = Number(m[1]);
        if (!heights.includes(h)) heights.push(h);
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      if (heights.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  if (heights.length < count) throw new Error(`${url} announced only ${heights.join(', ')}`);
  return heights;
}

interface Health {
  checks: { leader?: { detail: { jobs: Record<string, string> } } };
}
/** Job → role in one portal, from each app's /healthz. */
async function rolesOf(portal: Portal): Promise<Record<string, string>> {
  const roles: Record<string, string> = {};
  for (const app of ['explorer', 'food', 'wallet', 'passport']) {
    const res = await fetch(`${portal.url}/${app}/healthz`);
    const body = (await res.json()) as Health;
    Object.assign(roles, body.checks.leader?.detail.jobs ?? {});
  }
  return roles;
}

describe.skipIf(!adminUrl || !mqttUrl)('two portal processes behind a proxy', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-portal-replicas-'));
  const portals: Portal[] = [];
  let chainDb: Awaited<ReturnType<typeof openFreshPostgres>>;
  let appDb: Awaited<ReturnType<typeof openFreshPostgres>>;
  let host: Portal;
  let replicas: Portal[] = [];
  let proxy: Awaited<ReturnType<typeof roundRobinProxy>>;

  beforeAll(async () => {
    chainDb = await openFreshPostgres(adminUrl!);
    appDb = await openFreshPostgres(adminUrl!);
    proxy = await roundRobinProxy(() => replicas);
    // The validator's portal: creates the chain (demo identities at genesis) on a database of its own.
    host = await startPortal('host', {
      DATABASE_URL: chainDb.url,
      MQTT_URL: mqttUrl!,
      DATA_DIR: dataDir,
      DEMO: 'true',
    });
    portals.push(host);
    // The replicas: one database, the broker, the chain through CHAIN_URL, reached at the proxy's address.
    const env = {
      DATABASE_URL: appDb.url,
      MQTT_URL: mqttUrl!,
      DATA_DIR: dataDir,
      CHAIN_URL: `${host.url}/chain`,
      PUBLIC_URL: proxy.url,
      DEMO: 'false',
    };
    const a = await startPortal('a', env);
    portals.push(a);
    const b = await startPortal('b', env);
    portals.push(b);
    replicas = [a, b];
  }, 240_000);

  afterAll(async () => {
    for (const p of portals) if (p.alive()) p.proc.kill('SIGKILL');
    await Promise.all(portals.map((p) => p.exited));
    proxy?.server.closeAllConnections();
    await new Promise((r) => proxy?.server.close(r));
    await appDb?.close();
    await chainDb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('one leader per job, sessions and rate limits across replicas, failover of the leader with every block once', async () => {
    // One leader per job across the two.
    let roles: Record<string, string>[] = [];
    await until('each job to have one leader', async () => {
      roles = await Promise.all(replicas.map(rolesOf));
      return JOBS.every((job) => roles.filter((r) => r[job] === 'leader').length === 1);
    });
    for (const job of JOBS) expect(roles.map((r) => r[job]).sort()).toEqual(['leader', 'standby']);

    // The portal page through the proxy shows the followed chain.
    const overview = (await (await fetch(`${proxy.url}/api/trpc/suite.overview`)).json()) as {
      result: { data: { chain: { chainId: string; height: number } | null } };
    };
    expect(overview.result.data.chain?.chainId).toBe('gongxin-local');

    // Signed in through passport at the proxy: every step may land on either replica.
    const inspector = demoAccounts(suite).find((a) => a.roles.some((r) => r.app === 'food'))!;
    const jar = cookieJar();
    const hops = await jar.follow(`${proxy.url}/food/auth/login?returnTo=${encodeURIComponent('/food/')}`);
    const interaction = hops
      .map((h) => h.location ?? '')
      .find((l) => /\/passport\/oidc\/interaction\//.test(l));
    expect(interaction).toBeDefined();
    const uid = interaction!.split('/').pop()!;
    const issuer = `${proxy.url}/passport/oidc`;
    const challengeRes = await jar.fetch(`${issuer}/interaction/${uid}/challenge`, { method: 'POST' });
    expect(challengeRes.status).toBe(200);
    const { challenge } = await challengeRes.json<{ challenge: string }>();
    const privateKey = Uint8Array.from(Buffer.from(inspector.privateKey, 'hex'));
    const signature = toHex(
      suite.sign(loginMessage({ origin: proxy.url, uid, challenge, address: inspector.address }), privateKey),
    );
    const login = await jar.fetch(`${issuer}/interaction/${uid}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        address: inspector.address,
        publicKey: inspector.publicKey,
        signature,
        challenge,
      }),
    });
    expect(login.status, await login.text()).toBe(200);
    await jar.follow((await login.json<{ redirectTo: string }>()).redirectTo);
    const before = new Map(proxy.hits);
    for (let i = 0; i < 4; i++) {
      const me = await jar.fetch(`${proxy.url}/food/auth/me`);
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ address: inspector.address });
    }
    // Both replicas answered some of those.
    for (const r of replicas) expect(proxy.hits.get(r.name)! - (before.get(r.name) ?? 0)).toBeGreaterThan(0);
    console.log(
      `signed in through the proxy; requests per replica so far: ${JSON.stringify([...proxy.hits])}`,
    );

    // One client's remaining allowance falls by one a request, whichever replica counts it.
    const remaining: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(
        `${proxy.url}/explorer/api/trpc/blocks.latest?input=${encodeURIComponent('{"limit":1}')}`,
      );
      const header = res.headers.get('ratelimit') ?? '';
      const r = /;\s*r=(\d+)/.exec(header)?.[1];
      expect(r, `RateLimit header: ${header}`).toBeDefined();
      remaining.push(Number(r));
    }
    for (let i = 1; i < remaining.length; i++) expect(remaining[i]).toBe(remaining[i - 1]! - 1);
    console.log(`rate limit remaining across replicas: ${remaining.join(', ')}`);

    // Txs commit continuously; the leader of the explorer's indexer is killed with SIGKILL mid-stream.
    const client = createChainClient({ url: `${host.url}/chain` });
    const sender = demoAccounts(suite)[0]!;
    const wallet = createWallet(
      client,
      accountFromPrivateKey(suite, Uint8Array.from(Buffer.from(sender.privateKey, 'hex'))),
    );
    let sending = true;
    let sent = 0;
    const sending$ = (async () => {
      while (sending) {
        sent++;
        const hash = toHex(suite.hash(new TextEncoder().encode(`replica-test-${sent}`)));
        await wallet.send([{ contract: 'notary', name: 'anchor', params: { hash, type: 'replica-test' } }]);
      }
    })();
    const explorerHeight = async () =>
      (
        await appDb.query<{ h: number }>(sql`select coalesce(max(height), 0)::int as h from explorer.blocks`)
      )[0]!.h;
    const startHeight = (await client.info()).head.height;
    await until('the explorer to index new blocks', async () => (await explorerHeight()) >= startHeight + 5);
    const leader = replicas.find((_, i) => roles[i]!['explorer:indexer'] === 'leader')!;
    const standby = replicas.find((r) => r !== leader)!;
    // The standby's live stream follows the leader's indexing (it reads the stored cursor).
    const heights = await liveHeights(`${standby.url}/explorer/api/live`, 2, 20_000);
    expect(heights[1]!).toBeGreaterThan(heights[0]!);
    console.log(`the standby's /explorer/api/live announced heights ${heights.join(', ')}`);
    leader.proc.kill('SIGKILL');
    await leader.exited;
    const atKill = await explorerHeight();
    console.log(`leader ${leader.name} killed at explorer height ${atKill}, ${sent} txs sent`);
    await until(
      'the standby to lead every job',
      async () => {
        const now = await rolesOf(standby);
        return JOBS.every((job) => now[job] === 'leader');
      },
      60_000,
    );
    await until('more blocks indexed after the takeover', async () => (await explorerHeight()) >= atKill + 5);
    sending = false;
    await sending$;
    const head = (await client.info()).head.height;
    await until('the explorer to reach the head', async () => (await explorerHeight()) >= head, 60_000);

    // The read model equals the chain: every height once, each block's hash and tx count as the node has them.
    const indexed = await appDb.query<{ height: number; hash: string; tx_count: number }>(
      sql`select height::int, hash, tx_count from explorer.blocks where height <= ${head} order by height`,
    );
    expect(indexed.map((b) => b.height)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    const chainBlocks: { height: number; hash: string; txCount: number }[] = [];
    for (let from = 1; from <= head; from += 100) {
      for (const b of await client.blockRange(from, Math.min(100, head - from + 1)))
        chainBlocks.push({ height: b.height, hash: b.hash, txCount: b.txCount });
    }
    expect(indexed.map((b) => ({ height: b.height, hash: b.hash, txCount: b.tx_count }))).toEqual(
      chainBlocks,
    );
    const [txs] = await appDb.query<{ n: number }>(
      sql`select count(*)::int as n from explorer.txs where height <= ${head}`,
    );
    expect(txs!.n).toBe(chainBlocks.reduce((sum, b) => sum + b.txCount, 0));
    // Still signed in, now on the one replica left.
    expect((await jar.fetch(`${proxy.url}/food/auth/me`)).status).toBe(200);
    console.log(`after failover: ${head} blocks, ${txs!.n} txs indexed once each, ${sent} notary txs sent`);
  }, 300_000);
});
