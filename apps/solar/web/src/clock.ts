// The deployment's clock as this browser sees it: the server's "now" (block times follow it) less the
// local clock at the moment it was read, so slots are picked by the chain's time, not this device's.
import { ref } from 'vue';
import { api } from './api';

const offset = ref(0);
let synced: Promise<void> | undefined;
/** Whether the server's clock has been read on this page at least once. */
let read = false;

/** Reads the server's clock (once per page load unless `again`). */
export function syncClock(again = false): Promise<void> {
  if (!synced || again)
    synced = api.clock
      .query()
      .then(({ now }) => {
        offset.value = now - Date.now();
        read = true;
      })
      .catch(() => {
        // Unreachable server: the local clock, until the next read.
        synced = undefined;
      });
  return synced;
}

/** Now on the deployment's clock, ms. Reactive on the offset. */
export const serverNow = () => Date.now() + offset.value;

/**
 * Now on the deployment's clock for a write that carries a time: waits for the server's clock (read again
 * if the last read failed), and is undefined if it cannot be read, rather than this device's clock, which
 * may be days away from the chain's block times.
 */
export async function deploymentNow(): Promise<number | undefined> {
  await syncClock();
  if (!read) await syncClock(true);
  return read ? serverNow() : undefined;
}
