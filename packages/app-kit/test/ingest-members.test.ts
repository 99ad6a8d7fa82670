// Replicas of an app taking one MQTT feed: each claims a member number of its own (through the leader
// locks), so each subscribes with its own client ids in one shared group. With one client id for all,
// the broker hands the session to the newest connection and drops the other, and the two knock each
// other off for ever (a replica's start-up then fails with "Connection closed").
// The claim runs everywhere; the replicas case needs PostgreSQL and a real broker (TEST_DATABASE_URL,
// TEST_MQTT_URL).
import { openFreshPostgres, TEST_DATABASE_URL } from '@gongxin/db/testing';
import { connectMqtt, shardTopic } from '@gongxin/mqtt';
import { createLogger, createMetrics } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { claimIngestMember, type DeviceIngest, startDeviceIngest } from '../src/ingest/device-ingest';
import { createLeadership, type Leadership } from '../src/leader';

const logger = createLogger({ name: 'ingest-members-test', level: 'silent' });
const adminUrl = process.env[TEST_DATABASE_URL];
const mqttUrl = process.env.TEST_MQTT_URL;
if (!adminUrl || !mqttUrl)
  console.log('ingest-members.test.ts: the replicas case needs TEST_DATABASE_URL and TEST_MQTT_URL');

/** Keys held across "processes": a lead() as the leader election gives it, one holder per key. */
function fakeElection() {
  const held = new Map<string, string>();
  return {
    held,
    lead: (who: string) => async (key: string, job: { start(): Promise<void>; stop(): Promise<void> }) => {
      const leading = !held.has(key);
      if (leading) {
        held.set(key, who);
        await job.start();
      }
      return {
        role: leading ? ('leader' as const) : ('standby' as const),
        async release() {
          if (leading && held.get(key) === who) {
            held.delete(key);
            await job.stop();
          }
        },
      };
    },
  };
}

describe('claiming an ingest member number', () => {
  it('each process gets the lowest free number; a number freed is taken again', async () => {
    const election = fakeElection();
    const started: string[] = [];
    const job = (who: string) => ({
      start: async (n: number) => {
        started.push(`${who}:${n}`);
      },
      stop: async () => {},
    });
    const a = await claimIngestMember('s.feed', election.lead('a'), job('a'));
    const b = await claimIngestMember('s.feed', election.lead('b'), job('b'));
    const c = await claimIngestMember('s.feed', election.lead('c'), job('c'));
    expect([a.member, b.member, c.member]).toEqual([0, 1, 2]);
    expect(started).toEqual(['a:0', 'b:1', 'c:2']);
    // Standby attempts on held numbers were released, not left competing.
    expect([...election.held.entries()]).toEqual([
      ['ingest:s.feed:member:0', 'a'],
      ['ingest:s.feed:member:1', 'b'],
      ['ingest:s.feed:member:2', 'c'],
    ]);
    await b.release();
    const d = await claimIngestMember('s.feed', election.lead('d'), job('d'));
    expect(d.member).toBe(1);
    // Another feed counts from 0.
    expect((await claimIngestMember('o.feed', election.lead('a'), job('a'))).member).toBe(0);
  });

  it('says so when every number is held', async () => {
    const election = fakeElection();
    const job = { start: async () => {}, stop: async () => {} };
    for (let i = 0; i < 64; i++) await claimIngestMember('s.feed', election.lead(`p${i}`), job);
    await expect(claimIngestMember('s.feed', election.lead('late'), job)).rejects.toThrow(
      /all 64 member slots are held/,
    );
  });
});

describe.skipIf(!adminUrl || !mqttUrl)('replicas on PostgreSQL and Mosquitto', () => {
  const leaderships: Leadership[] = [];
  const ingests: DeviceIngest[] = [];
  const databases: Awaited<ReturnType<typeof openFreshPostgres>>[] = [];

  afterAll(async () => {
    for (const i of ingests) await i.stop().catch(() => {});
    for (const l of leaderships) await l.close().catch(() => {});
    for (const d of databases) await d.close().catch(() => {});
  });

  /** One deployment: a fresh database, and replicas of an app taking `stream` from topics under `prefix`. */
  async function deployment(stream: string, prefix: string) {
    const database = await openFreshPostgres(adminUrl!);
    databases.push(database);
    const replica = async () => {
      const leadership = await createLeadership({ database, url: database.url, logger, retryMs: 200 });
      leaderships.push(leadership);
      const lead = (key: string, job: { start(): Promise<void>; stop(): Promise<void> }) =>
        leadership.run(`app:${key}`, job);
      const ingest = await startDeviceIngest(
        { database, mqttUrl: mqttUrl!, metrics: createMetrics({ defaultMetrics: false }), logger },
        {
          stream,
          prefix,
          mode: 'shared',
          lanes: 2,
          decode: ({ payload, device }) => {
            const r = JSON.parse(payload.toString()) as { seq: number; ts: number };
            return { device, seq: r.seq, ts: r.ts, data: null };
          },
        },
        { runWorker: (job) => claimIngestMember(stream, lead, job) },
      );
      ingests.push(ingest);
      return { ingest, leadership, lead };
    };
    const stored = async () => {
      const [row] = await database.query<{ n: number }>(
        sql`select count(*)::int as n from appkit_ingest.readings where stream = ${stream}`,
      );
      return row?.n ?? 0;
    };
    return { database, replica, stored };
  }

  async function publish(prefix: string, from: number, count: number) {
    const pub = await connectMqtt(mqttUrl!);
    const ts = Date.now() - 60_000;
    try {
      for (let seq = from; seq < from + count; seq++) {
        await pub.publish(shardTopic(prefix, 64, `m${seq % 20}`, 'reading'), JSON.stringify({ seq, ts }), {
          qos: 1,
        });
      }
    } finally {
      await pub.close();
    }
  }

  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('subscribe side by side as members 0 and 1 and store every reading once', async () => {
    const run = Date.now().toString(36);
    const stream = `t${run}.meters`;
    const prefix = `members-${run}`;
    const d = await deployment(stream, prefix);
    const { ingest: a } = await d.replica();
    const { ingest: b } = await d.replica();
    expect([a.member, b.member]).toEqual([0, 1]);
    const ids = [...a.worker.lanes, ...b.worker.lanes].map((l) => l.clientId);
    expect(new Set(ids).size).toBe(4);

    const total = 200;
    await publish(prefix, 0, total);
    await until(`${total} stored`, async () => (await d.stored()) >= total);
    // Both members took a share, neither was knocked off, and each reading is stored once.
    expect(a.worker.stats().stored).toBeGreaterThan(0);
    expect(b.worker.stats().stored).toBeGreaterThan(0);
    expect(a.worker.stats().duplicates + b.worker.stats().duplicates).toBe(0);
    expect(await d.stored()).toBe(total);

    // A replica gone frees its number for the next one to start.
    await a.stop();
    const { ingest: c } = await d.replica();
    expect(c.member).toBe(0);
  }, 120_000);

  it("a departed replica's session is drained and removed, so no reading waits on it", async () => {
    const run = `${Date.now().toString(36)}x`;
    const stream = `t${run}.meters`;
    const prefix = `members-${run}`;
    const d = await deployment(stream, prefix);
    const a = await d.replica();
    const b = await d.replica();
    expect(b.ingest.member).toBe(1);
    // b's process goes away for good: its session stays on the broker, a member of the group.
    await b.ingest.stop();
    await b.leadership.close();

    await publish(prefix, 0, 100);
    await until('a to settle', async () => {
      const s = a.ingest.worker.stats();
      return s.received > 0 && s.stored + s.duplicates + s.rejected === s.received;
    });
    await new Promise((r) => setTimeout(r, 1_000));
    // The broker queued a share for the departed member: those readings are not stored.
    const before = await d.stored();
    expect(before).toBeLessThan(100);

    const drained = await a.ingest.sweep((key, job) => a.leadership.run(`app:${key}`, job));
    expect(drained).toEqual([1]);
    expect(await d.stored()).toBe(100);
    const [members] = await d.database.query<{ list: number[] }>(
      sql`select array_agg(member order by member) as list from appkit_ingest.members where stream = ${stream}`,
    );
    expect(members?.list).toEqual([0]);

    // The group is a alone now: every new reading reaches it.
    await publish(prefix, 100, 100);
    await until('200 stored', async () => (await d.stored()) >= 200, 30_000);
    expect(await d.stored()).toBe(200);
    // A sweep with nothing departed drains nothing.
    expect(await a.ingest.sweep((key, job) => a.leadership.run(`app:${key}`, job))).toEqual([]);
  }, 120_000);

  it('two deployments on one broker take the same feed in groups of their own', async () => {
    const run = `${Date.now().toString(36)}y`;
    const stream = `t${run}.meters`;
    const prefix = `members-${run}`;
    const one = await deployment(stream, prefix);
    const two = await deployment(stream, prefix);
    const a = await one.replica();
    const b = await two.replica();
    // Both are member 0 of their own database, yet their client ids and groups differ.
    expect([a.ingest.member, b.ingest.member]).toEqual([0, 0]);
    expect(a.ingest.group).not.toBe(b.ingest.group);
    await publish(prefix, 0, 50);
    await until(
      'both deployments to store every reading',
      async () => (await one.stored()) >= 50 && (await two.stored()) >= 50,
    );
    expect([await one.stored(), await two.stored()]).toEqual([50, 50]);
  }, 120_000);
});
