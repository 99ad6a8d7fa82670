// The fuzz suite: the embedded suite started once, then seeded hostile input (malformed, oversized, deeply
// nested, wrong-typed, NUL/unicode-laden) to every tRPC procedure of the portal, each mounted app and the
// chain API, and to every REST route, all listed from the routers themselves. No answer may be a 500 (or
// another 5xx than 503), carry a stack trace or a file path, or take longer than the per-request timeout.
// Replay a run with FUZZ_SEED=<the printed seed>; FUZZ_PER_TARGET sets how many requests each target gets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSessionStore } from '@gongxin/app-kit/testing';
import { loadConfig } from '@gongxin/config';
import { nodeRouter } from '@gongxin/node/api';
import { demoAccounts } from '@gongxin/passport-server';
import { createLogger } from '@gongxin/telemetry';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { suiteApps } from '../src/apps';
import { appRouter } from '../src/router';
import { type RunningSuite, startSuite } from '../src/suite';
import { hostileBody, hostileInput, hostileQuery, hostileSegment, prng, type Rand } from './fuzz/inputs';
import { type Procedure, procedures, restRoutes } from './fuzz/targets';

const SEED = Number(process.env.FUZZ_SEED ?? 13);
const PER_TARGET = Number(process.env.FUZZ_PER_TARGET ?? 10);
const TIMEOUT_MS = 15_000;
const CONCURRENCY = 4;
const root = fileURLToPath(new URL('../../../../', import.meta.url));

let suite: RunningSuite;
let dataDir: string;
/** A signed-in session per app (cookie header), so procedures behind a login are fuzzed past the refusal. */
const sessionCookies = new Map<string, string>();

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-fuzz-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    MQTT_URL: '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  });
  suite = await startSuite(config, createLogger({ name: 'fuzz', level: 'silent' }));
  // A demo person (on the demo chain) holding every demo role of every app.
  const demo = demoAccounts();
  const person = demo.find((a) => a.authority) ?? demo[0]!;
  const roles = [...new Set(demo.flatMap((a) => a.roles.map((r) => `${r.app}:${r.role}`)))];
  for (const app of suiteApps) {
    const store = createSessionStore({ app: app.id, database: suite.database });
    const { id } = await store.create({
      sub: person.address,
      did: `did:gx:${person.address}`,
      roles,
      name: person.name,
      idTokenExpiresAt: Date.now() + 3600_000,
    });
    sessionCookies.set(`/${app.id}/`, `gx_${app.id}=${id}`);
  }
}, 180_000);

afterAll(async () => {
  await suite?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Shot {
  target: string;
  method: string;
  url: string;
  body?: string;
  type?: string;
  signedIn?: boolean;
}

interface Outcome {
  shot: Shot;
  status: number | 'timeout';
  problem?: string;
}

const LEAKS: [RegExp, string][] = [
  [/\n\s+at |\\n\s+at /, 'a stack trace'],
  [/"stack"\s*:/, 'a stack field'],
  [/node_modules|\.ts:\d+:\d+/, 'a source location'],
];

async function fire(shot: Shot): Promise<Outcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const headers: Record<string, string> = {};
  if (shot.body !== undefined) headers['content-type'] = shot.type ?? '';
  if (shot.signedIn) {
    const cookie = [...sessionCookies].find(([prefix]) => shot.url.startsWith(prefix))?.[1];
    if (cookie) headers.cookie = cookie;
  }
  try {
    const res = await fetch(`${suite.url}${shot.url}`, {
      method: shot.method,
      redirect: 'manual',
      signal: controller.signal,
      headers,
      ...(shot.body !== undefined && { body: shot.body }),
    });
    // A stream (server-sent events) answered in time is all a hostile client can get from it.
    if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
      controller.abort();
      return { shot, status: res.status };
    }
    const text = await res.text();
    let problem: string | undefined;
    if (res.status >= 500 && res.status !== 503) problem = `answered ${res.status}`;
    for (const [pattern, what] of LEAKS) {
      if (!problem && pattern.test(text)) problem = `body carries ${what}`;
    }
    if (!problem && text.includes(root)) problem = 'body carries a file path';
    return { shot, status: res.status, ...(problem && { problem: `${problem}: ${text.slice(0, 300)}` }) };
  } catch (error) {
    if (controller.signal.aborted)
      return { shot, status: 'timeout', problem: `no answer in ${TIMEOUT_MS} ms` };
    return { shot, status: 'timeout', problem: `request failed: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

function procedureShots(rand: Rand, proc: Procedure): Shot[] {
  const target = `trpc ${proc.base}/${proc.name}`;
  const shots: Shot[] = [];
  for (let i = 0; i < PER_TARGET; i++) {
    const input = encodeURIComponent(JSON.stringify(hostileInput(rand)) ?? 'null');
    const url = `${proc.base}/${proc.name}`;
    if (proc.type === 'mutation' || rand() < 0.2) {
      const { body, type } = hostileBody(rand);
      shots.push({ target, method: 'POST', url, body, type });
    } else {
      const r = rand();
      const query = r < 0.1 ? `input=${hostileQuery(rand)}` : r < 0.15 ? 'input=%7B' : `input=${input}`;
      shots.push({ target, method: 'GET', url: `${url}?${query}` });
    }
  }
  // A batch naming the procedure with others, as the tRPC client sends them.
  shots.push({
    target,
    method: 'GET',
    url: `${proc.base}/${proc.name},${proc.name}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: hostileInput(rand), 1: null }))}`,
  });
  return shots;
}

function restShots(rand: Rand, route: { method: string; path: string }): Shot[] {
  const target = `${route.method} ${route.path}`;
  const shots: Shot[] = [];
  for (let i = 0; i < PER_TARGET; i++) {
    // `:param`, `:param?` and `*splat` filled with hostile segments.
    const filled = route.path
      .replace(/\{([^}]*)\}/g, (_m, inner: string) => (rand() < 0.5 ? inner : ''))
      .replace(/[:*][A-Za-z0-9_]+\??/g, () => hostileSegment(rand));
    const query = hostileQuery(rand);
    const url = `${filled}${query ? `?${query}` : ''}`;
    if (route.method === 'GET' || route.method === 'HEAD' || route.method === 'DELETE') {
      shots.push({ target, method: route.method, url });
    } else {
      const { body, type } = hostileBody(rand);
      shots.push({ target, method: route.method, url, body, type });
    }
  }
  return shots;
}

it('sends hostile input to every procedure and route: no 500, no stack trace, no hang', async () => {
  const rand = prng(SEED);
  const procs = [
    ...procedures('/api/trpc', appRouter),
    ...procedures('/chain/trpc', nodeRouter),
    ...suiteApps.flatMap((app) =>
      procedures(`/${app.id}/api/trpc`, app.router as { _def: { procedures: Record<string, unknown> } }),
    ),
  ];
  const routes = restRoutes(suite.app);
  // The sessions work, or the signed-in half would only ever meet the login refusal.
  for (const [prefix, cookie] of sessionCookies) {
    const me = await fetch(`${suite.url}${prefix}auth/me`, { headers: { cookie } });
    expect(me.status, `${prefix}auth/me`).toBe(200);
  }
  // The listing must find what is there, or the suite would pass by attacking nothing.
  expect(procs.length).toBeGreaterThan(50);
  expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
    expect.arrayContaining([
      'GET /food/capture/:id',
      'GET /food/epcs/:epc/events',
      'GET /chain/v1/blocks/:ref',
      'POST /chain/v1/txs',
      'GET /healthz',
    ]),
  );

  const shots = [
    ...procs.flatMap((p) => procedureShots(rand, p)),
    ...routes.flatMap((r) => restShots(rand, r)),
  ];
  // Shuffled (seeded) so no app's rate limit window is spent on one burst.
  for (let i = shots.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shots[i], shots[j]] = [shots[j]!, shots[i]!];
  }

  const started = Date.now();
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < shots.length) {
        const shot = shots[next++]!;
        outcomes.push(await fire(shot));
      }
    }),
  );
  const failures = outcomes.filter((o) => o.problem);
  const byStatus = new Map<string, number>();
  for (const o of outcomes) byStatus.set(String(o.status), (byStatus.get(String(o.status)) ?? 0) + 1);
  const fiveHundreds = outcomes.filter((o) => o.status === 500).length;
  process.stdout.write(
    [
      `fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${PER_TARGET} per target`,
      `fuzz: ${procs.length} tRPC procedures, ${routes.length} REST routes; half the requests signed in`,
      `fuzz: ${outcomes.length} requests sent in ${((Date.now() - started) / 1000).toFixed(1)} s; 500s: ${fiveHundreds}`,
      `fuzz: statuses ${[...byStatus]
        .sort()
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
      ...failures
        .slice(0, 30)
        .map((f) => `fuzz: FAIL ${f.shot.method} ${f.shot.url.slice(0, 200)}: ${f.problem}`),
      '',
    ].join('\n'),
  );
  expect(outcomes.length).toBe(shots.length);
  expect(fiveHundreds).toBe(0);
  expect(failures.map((f) => `${f.shot.target}: ${f.problem}`)).toEqual([]);
  // Refusals prove the hostile input reached the servers rather than bouncing off something else.
  expect(outcomes.some((o) => o.status === 400)).toBe(true);
}, 600_000);
