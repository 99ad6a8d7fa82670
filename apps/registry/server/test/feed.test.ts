// The change feed: a follower killed (SIGKILL) in the middle of the stream and started again resumes from
// the cursor of the last change it handled and, across the kill, changes made while it was down and
// changes made while it follows, receives every registry event exactly once and in chain order.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changes } from '../src/db/schema';
import { DEMO_ENTERPRISES, seedRegistryDemo } from '../src/demo';
import { type RegistryHarness, startRegistryHarness } from './harness';

let h: RegistryHarness;
const dir = mkdtempSync(path.join(tmpdir(), 'registry-feed-'));
const out = path.join(dir, 'changes.ndjson');
const script = fileURLToPath(new URL('./feed-client.mjs', import.meta.url));
const children: ChildProcess[] = [];

beforeAll(async () => {
  h = await startRegistryHarness();
  await seedRegistryDemo(h.services);
  await h.caughtUp();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

const lines = () => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean) : []);
const follower = (delayMs: number) => {
  const child = spawn(process.execPath, [script, h.url, out, String(delayMs)], { stdio: 'ignore' });
  children.push(child);
  return child;
};
async function until(what: () => boolean, ms = 30_000) {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A change filing by each demo representative: new events while the follower is down or following. */
const fileChanges = async (round: number) => {
  for (const e of DEMO_ENTERPRISES.slice(0, 3)) {
    const r = await h.as(e.rep, [
      {
        contract: 'registry',
        name: 'fileChange',
        params: {
          uscc: e.uscc,
          changes: { address: `${e.address} ${round}号楼` },
          effectiveOn: '2026-12-01',
          reason: '住所变更',
        },
      },
    ]);
    expect(r.ok, r.message).toBe(true);
  }
};

describe('change feed', () => {
  it('delivers every change exactly once to a follower killed and restarted mid-stream', async () => {
    const first = follower(40);
    await until(() => lines().length >= 6);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = lines().length;
    const total0 = (await h.database.db.select().from(changes)).length;
    expect(atKill).toBeLessThan(total0);

    await fileChanges(1);
    const second = follower(0);
    await fileChanges(2);
    await h.caughtUp();
    const before = (await h.database.db.select().from(changes)).length;
    await until(() => lines().length >= before);
    // It keeps following: a change made now arrives on the open stream.
    await fileChanges(3);
    await h.caughtUp();
    const all = await h.database.db
      .select()
      .from(changes)
      .orderBy(asc(changes.height), asc(changes.eventIndex));
    expect(all.length).toBeGreaterThan(before);
    await until(() => lines().length >= all.length);
    await new Promise((r) => setTimeout(r, 500));
    expect(second.exitCode).toBeNull();
    second.kill('SIGKILL');

    const received = lines().map((l) => JSON.parse(l) as { cursor: string; name: string });
    expect(received.map((r) => r.cursor)).toEqual(all.map((c) => `${c.height}:${c.eventIndex}`));
    expect(new Set(received.map((r) => r.cursor)).size).toBe(received.length);
    expect(received.filter((r) => r.name === 'filingSubmitted')).toHaveLength(9);
  });

  it('pages the same changes over tRPC and refuses a bad cursor with a 400', async () => {
    const page1 = await h.anonymous.feed.page({ limit: 5 });
    const page2 = await h.anonymous.feed.page({ after: page1[4]!.cursor, limit: 5 });
    const both = await h.anonymous.feed.page({ limit: 10 });
    expect([...page1, ...page2].map((c) => c.cursor)).toEqual(both.map((c) => c.cursor));
    const bad = await fetch(`${h.url}/registry/api/feed?after=abc`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('after');
  });
});
