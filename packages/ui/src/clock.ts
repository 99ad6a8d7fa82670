// The deployment clock as a page sees it. The chain's block times follow the deployment clock, which may be
// days away from this device's clock (a phone set wrong, a rehearsal started with CLOCK_START), so a page
// takes "now" for its domain time — "today", default dates, "3 分钟前", times it signs into txs — from the
// app's server (`GET /<app>/api/clock`, served by app-kit in the suite and standalone alike), kept as an
// offset from this device's clock. A write that carries a time must never fall back to this device's clock.
import { ref } from 'vue';
import { pageAppId } from './app-id';

/** How long a read of the server's clock may take before it counts as failed. */
export const CLOCK_READ_TIMEOUT_MS = 10_000;

/** The server's clock could not be read, so a time that would be signed or stored cannot be set. */
export class ClockUnavailableError extends Error {
  constructor(message = "the deployment clock could not be read from the app's server") {
    super(message);
    this.name = 'ClockUnavailableError';
  }
}

const offset = ref(0);
/** Whether the server's clock has been read on this page (reactive, e.g. to hold a form until it is). */
export const clockRead = ref(false);
let reading: Promise<void> | undefined;

/** Where the page's app serves the deployment clock: `/<app>/api/clock`. */
export const clockPath = (appId: string) => `/${appId}/api/clock`;

async function readClock(appId: string): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), CLOCK_READ_TIMEOUT_MS);
  try {
    const sent = Date.now();
    const res = await globalThis.fetch(clockPath(appId), {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: abort.signal,
    });
    if (!res.ok) throw new ClockUnavailableError(`${clockPath(appId)} answered ${res.status}`);
    const body = (await res.json()) as { now?: unknown };
    if (typeof body?.now !== 'number' || !Number.isFinite(body.now))
      throw new ClockUnavailableError(`${clockPath(appId)} answered without a time`);
    // The server's now lies between sending and receiving: taken at the midpoint, the error is half the
    // round trip at most.
    const received = Date.now();
    offset.value = Math.round(body.now - (sent + received) / 2);
    clockRead.value = true;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads the server's clock, once per page load (again with `again`). Never rejects: when the clock cannot be
 * read (no app id on the page, no answer, an error status, an answer without a time) `serverNow()` stays
 * where it was — this device's clock if it was never read — and the next call tries again.
 */
export function syncClock(again = false): Promise<void> {
  if (!reading || again) {
    const appId = pageAppId();
    const attempt: Promise<void> = (
      appId ? readClock(appId) : Promise.reject(new ClockUnavailableError('no app id on this page'))
    ).catch(() => {
      // Failed: the next call reads again (unless a newer read has started meanwhile).
      if (reading === attempt) reading = undefined;
    });
    reading = attempt;
  }
  return reading;
}

/**
 * Now on the deployment clock, ms: this device's clock plus the offset last read from the server (none
 * before a read). Reactive on the offset: a computed or a template that calls it follows a read.
 */
export const serverNow = (): number => Date.now() + offset.value;

/**
 * Now on the deployment clock for a write that carries a time (an expiry signed into a tx): waits for the
 * server's clock, reading it again if the last read failed, and rejects with ClockUnavailableError when it
 * cannot be read rather than use this device's clock.
 */
export async function deploymentNow(): Promise<number> {
  await syncClock();
  if (!clockRead.value) await syncClock(true);
  if (!clockRead.value) throw new ClockUnavailableError();
  return serverNow();
}

/** Forgets what was read (tests: each starts on a page that has not read the clock yet). */
export function _forgetClock(): void {
  offset.value = 0;
  clockRead.value = false;
  reading = undefined;
}
