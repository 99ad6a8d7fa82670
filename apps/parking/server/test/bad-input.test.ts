// A driver's own vehicles (myPlates, bindPlate, unbindPlate) over real HTTP with a passport session:
// malformed JSON, wrong types, empty and over-long plates, unknown fields, no session, a plate not bound,
// a replayed bind. Each is a 4xx whose message names what is wrong, counted in /metrics (bad input in
// gongxin_bad_input_total, every answer by route and status), and no binding is written or lost.
import { cookieJar } from '@gongxin/app-kit/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundPlates } from '../src/db/schema';
import { type ParkingHarness, startParkingHarness } from './harness';

let h: ParkingHarness;
let driver: string;
const jar = cookieJar();

beforeAll(async () => {
  driver = '';
  h = await startParkingHarness({
    testIssuer: { sub: 'placeholder', did: 'did:gx:placeholder', roles: [] },
  });
  driver = h.account(201).address;
  h.testIssuer!.account = { sub: driver, did: `did:gx:${driver}`, roles: [], name: '王磊' };
  await jar.follow(`${h.url}/parking/auth/login`);
  expect(jar.get('gx_parking')).toBeTruthy();
});
afterAll(async () => {
  await h?.stop();
});

const url = (path: string) => `${h.url}/parking/api/trpc/${path}`;

/** A mutation as the web sends it: a JSON body (the raw text here, to send what no client would). */
const post = (path: string, body: string, signedIn = true) =>
  (signedIn ? jar.fetch : (u: string, init: RequestInit) => cookieJar().fetch(u, init))(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

async function platesOnRecord() {
  const rows = await h.database.db.select().from(boundPlates).where(eq(boundPlates.subject, driver));
  return rows.map((r) => r.plate).sort();
}

async function metric(name: string): Promise<string> {
  return h.services.metrics.registry.getSingleMetricAsString(name);
}
const counted = (text: string, labels: string) =>
  Number(new RegExp(`\\{${labels}\\} (\\d+)`).exec(text)?.[1] ?? 0);

interface Case {
  what: string;
  path: 'bindPlate' | 'unbindPlate';
  body: string;
  signedIn?: boolean;
  status: number;
  /** What the message must say (the field, or what was expected). */
  says: RegExp;
}

const CASES: Case[] = [
  { what: 'malformed JSON', path: 'bindPlate', body: '{"plate": "沪A', status: 400, says: /JSON|parse/i },
  // A body is parsed once: a JSON string is a string, refused by the input's schema, even when it holds JSON.
  {
    what: 'a JSON string, not an object',
    path: 'bindPlate',
    body: '"沪B7M325"',
    status: 400,
    says: /expected object, received string/i,
  },
  {
    what: 'a JSON string holding an object',
    path: 'bindPlate',
    body: JSON.stringify('{"plate":"沪B7M325"}'),
    status: 400,
    says: /expected object, received string/i,
  },
  { what: 'null', path: 'bindPlate', body: 'null', status: 400, says: /object/ },
  { what: 'a number for the plate', path: 'bindPlate', body: '{"plate":73251}', status: 400, says: /plate/ },
  {
    what: 'an array for the plate',
    path: 'bindPlate',
    body: '{"plate":["沪B"]}',
    status: 400,
    says: /plate/,
  },
  { what: 'no plate', path: 'bindPlate', body: '{}', status: 400, says: /plate/ },
  { what: 'an empty plate', path: 'bindPlate', body: '{"plate":""}', status: 400, says: /plate/ },
  { what: 'only spaces', path: 'bindPlate', body: '{"plate":"   "}', status: 400, says: /plate/ },
  {
    what: 'an over-long plate',
    path: 'bindPlate',
    body: JSON.stringify({ plate: `沪B${'7'.repeat(5000)}` }),
    status: 400,
    says: /plate: at most 20/,
  },
  { what: 'a virtual plate', path: 'bindPlate', body: '{"plate":"无牌A1B2C3"}', status: 400, says: /plate/ },
  {
    what: 'a field the procedure does not take',
    path: 'bindPlate',
    body: '{"plate":"沪B7M325","subject":"gx1someoneelse"}',
    status: 400,
    says: /subject/,
  },
  {
    what: 'no session',
    path: 'bindPlate',
    body: '{"plate":"沪B7M325"}',
    signedIn: false,
    status: 401,
    says: /sign in/,
  },
  {
    what: 'no session',
    path: 'unbindPlate',
    body: '{"plate":"沪B7M325"}',
    signedIn: false,
    status: 401,
    says: /sign in/,
  },
  {
    what: 'a plate not bound',
    path: 'unbindPlate',
    body: '{"plate":"京A12345"}',
    status: 404,
    says: /京A12345 is not bound/,
  },
  { what: 'a wrong type', path: 'unbindPlate', body: '{"plate":true}', status: 400, says: /plate/ },
];

describe('my vehicles over HTTP: bad input', () => {
  it.each(CASES)('$path, $what: $status naming it, nothing written', async (c) => {
    const before = await platesOnRecord();
    const badInput = async () => {
      const text = await metric('gongxin_bad_input_total');
      return ['bad_request', 'parse_error', 'malformed'].reduce(
        (n, reason) => n + counted(text, `source="api",reason="${reason}"`),
        0,
      );
    };
    const refusedBefore = await badInput();
    const res = await post(c.path, c.body, c.signedIn ?? true);
    expect(res.status, await res.text()).toBe(c.status);
    // Every refusal, a body that is no JSON at all included, comes in tRPC's error shape.
    const body = await res.json<{ error: { message: string; data: { httpStatus: number } } }>();
    expect(body.error.message).toMatch(c.says);
    expect(body.error.data.httpStatus).toBe(c.status);
    expect(await platesOnRecord()).toEqual(before);
    if (c.status === 400) expect(await badInput()).toBe(refusedBefore + 1);
    // Counted under the procedure it was sent to, whether or not its body could be read.
    const route = `/parking/api/trpc/${c.path}`;
    const requests = await metric('gongxin_http_requests_total');
    expect(requests).toMatch(new RegExp(`route="${route.replace(/[()]/g, '\\$&')}",status="${c.status}"`));
  });

  it('an oversized body is a 413 and binds nothing', async () => {
    const before = await platesOnRecord();
    const res = await post(
      'bindPlate',
      JSON.stringify({ plate: '沪B7M325', pad: 'x'.repeat(2 * 1024 * 1024) }),
    );
    expect(res.status).toBe(413);
    const body = await res.json<{ error: { message: string; data: { code: string; httpStatus: number } } }>();
    expect(body.error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect(body.error.message).toMatch(/too large/i);
    expect(await platesOnRecord()).toEqual(before);
  });

  it('a replayed bind changes nothing, a replayed unbind is a 404 naming the plate', async () => {
    const first = await post('bindPlate', '{"plate":"沪b 7m3·25"}');
    expect(first.status).toBe(200);
    expect((await first.json<{ result: { data: unknown } }>()).result.data).toEqual({
      plate: '沪B7M325',
      already: false,
    });
    for (let i = 0; i < 3; i++) {
      const again = await post('bindPlate', '{"plate":"沪B7M325"}');
      expect((await again.json<{ result: { data: unknown } }>()).result.data).toEqual({
        plate: '沪B7M325',
        already: true,
      });
    }
    expect(await platesOnRecord()).toEqual(['沪B7M325']);
    expect((await post('unbindPlate', '{"plate":"沪B7M325"}')).status).toBe(200);
    const replay = await post('unbindPlate', '{"plate":"沪B7M325"}');
    expect(replay.status).toBe(404);
    expect(await replay.text()).toMatch(/沪B7M325 is not bound/);
    expect(await platesOnRecord()).toEqual([]);
  });

  it('myPlates answers 401 without a session and takes no input', async () => {
    expect((await cookieJar().fetch(url('myPlates'))).status).toBe(401);
    const res = await jar.fetch(url('myPlates'));
    expect(res.status).toBe(200);
    expect((await res.json<{ result: { data: { limit: number } } }>()).result.data.limit).toBe(5);
  });
});
