// The deployment clock as a page reads it: the server's now applied as an offset from the device's clock,
// one read per page load, the device's clock (and a retry) while the server's cannot be read, and a write
// that carries a time waiting for the server's clock or refusing without it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computed, createApp } from 'vue';
import { appIdPlugin } from './app-id';
import { _forgetClock, ClockUnavailableError, clockRead, deploymentNow, serverNow, syncClock } from './clock';
import { errorMessage } from './errors';
import { jsonResponse, serveDeploymentClock } from './testing/clock';
import { suiteTranslator } from './testing/suite-translator';

const DAY = 86_400_000;
const DEVICE_NOW = Date.parse('2026-12-10T04:00:00Z');

/** A fetch answering each request with the next of `answers` (a Response, or an error to throw). */
function answering(...answers: (Response | Error | Promise<Response>)[]) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      calls.push(String(input));
      const next = answers.shift() ?? new Error('no answer left');
      if (next instanceof Error) throw next;
      return next;
    }),
  );
  return calls;
}

beforeEach(() => {
  // Only Date is faked: the device's clock stands still, so offsets compare exactly; timers run.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(DEVICE_NOW);
  _forgetClock();
  appIdPlugin('wallet').install(createApp({}));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the deployment clock in the page', () => {
  it("reads the app's clock once and applies its offset from the device's clock", async () => {
    const read = serveDeploymentClock(-10 * DAY);
    const now = computed(() => serverNow());
    expect(now.value).toBe(DEVICE_NOW);
    await syncClock();
    expect(read).toEqual(['/wallet/api/clock']);
    expect(clockRead.value).toBe(true);
    expect(serverNow()).toBe(DEVICE_NOW - 10 * DAY);
    // Reactive: what was computed before the read follows it.
    expect(now.value).toBe(DEVICE_NOW - 10 * DAY);
    // It runs on with the device's clock.
    vi.setSystemTime(DEVICE_NOW + 60_000);
    expect(serverNow()).toBe(DEVICE_NOW - 10 * DAY + 60_000);
    await syncClock();
    expect(read).toHaveLength(1);
    await syncClock(true);
    expect(read).toHaveLength(2);
  });

  it('takes the server’s time at the midpoint of the round trip', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        // The answer leaves the server at 1 000 000 and takes 400 ms to come back.
        vi.setSystemTime(DEVICE_NOW + 800);
        return jsonResponse({ now: 1_000_000 + 400 });
      }),
    );
    await syncClock();
    expect(serverNow()).toBe(1_000_000 + 800);
  });

  it("stays on the device's clock while the server's cannot be read, and reads again next time", async () => {
    const calls = answering(
      jsonResponse({ error: 'down' }, 503),
      new TypeError('Failed to fetch'),
      jsonResponse({ now: 'soon' }),
      jsonResponse({ now: DEVICE_NOW - 10 * DAY }),
    );
    for (let i = 0; i < 3; i++) {
      await expect(syncClock()).resolves.toBeUndefined();
      expect(serverNow()).toBe(DEVICE_NOW);
      expect(clockRead.value).toBe(false);
    }
    await syncClock();
    expect(serverNow()).toBe(DEVICE_NOW - 10 * DAY);
    expect(calls).toHaveLength(4);
  });

  it('keeps the offset last read when a later read fails', async () => {
    answering(jsonResponse({ now: DEVICE_NOW - 10 * DAY }), jsonResponse({}, 500));
    await syncClock();
    await syncClock(true);
    expect(serverNow()).toBe(DEVICE_NOW - 10 * DAY);
    expect(clockRead.value).toBe(true);
  });

  it('asks nothing on a page without an app id', async () => {
    _forgetClock();
    // A fresh module has no app id yet.
    vi.resetModules();
    const fresh = await import('./clock');
    const calls = answering(jsonResponse({ now: 1 }));
    await fresh.syncClock();
    expect(calls).toEqual([]);
    expect(fresh.serverNow()).toBe(DEVICE_NOW);
    await expect(fresh.deploymentNow()).rejects.toBeInstanceOf(fresh.ClockUnavailableError);
  });
});

describe('deploymentNow, for a write that carries a time', () => {
  it("waits for the server's clock", async () => {
    let answer: (r: Response) => void = () => {};
    answering(new Promise<Response>((resolve) => (answer = resolve)));
    let settled: number | undefined;
    const pending = deploymentNow().then((now) => (settled = now));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBeUndefined();
    answer(jsonResponse({ now: DEVICE_NOW - 10 * DAY }));
    await pending;
    expect(settled).toBe(DEVICE_NOW - 10 * DAY);
  });

  it('reads again when an earlier read failed', async () => {
    answering(jsonResponse({}, 502), jsonResponse({ now: DEVICE_NOW + 3 * DAY }));
    await syncClock();
    await expect(deploymentNow()).resolves.toBe(DEVICE_NOW + 3 * DAY);
  });

  it("refuses, in words, rather than use the device's clock", async () => {
    const calls = answering(new TypeError('Failed to fetch'), jsonResponse({}, 503));
    const refused = await deploymentNow().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClockUnavailableError);
    expect(calls).toHaveLength(2);
    expect(errorMessage(refused, suiteTranslator('zh-CN'))).toBe('暂时读不到服务器时间，请稍后再试。');
    expect(errorMessage(refused, suiteTranslator('en'))).toBe(
      "The server's clock could not be read: try again in a moment.",
    );
  });
});
