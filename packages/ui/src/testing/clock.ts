// Test helper: a page on a deployment clock that differs from the device's (a rehearsal, a phone set
// wrong). Replaces the global fetch so that `/<app>/api/clock` answers the device's now plus `offsetMs`
// and every other request goes to `others` (default: 404), and forgets any clock read before.
import { vi } from 'vitest';
import { _forgetClock } from '../clock';

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const CLOCK_PATH = /^\/[a-z][a-z0-9-]*\/api\/clock$/;

export const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A page that has not read the clock yet (each test starts as a fresh page load). */
export const forgetDeploymentClock = () => _forgetClock();

/** Stubs fetch with a server whose clock runs `offsetMs` from the device's; returns the clock paths read. */
export function serveDeploymentClock(offsetMs: number, others?: FetchLike): string[] {
  _forgetClock();
  const read: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input instanceof Request ? input.url : input), 'http://suite.test')
        .pathname;
      if (CLOCK_PATH.test(path)) {
        read.push(path);
        return jsonResponse({ now: Date.now() + offsetMs });
      }
      return others ? others(input, init) : jsonResponse({ error: { code: 'not_found' } }, 404);
    }),
  );
  return read;
}
