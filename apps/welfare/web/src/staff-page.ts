// What the staff pages (workbench, cycles, alerts) set up alike: "now" on the deployment clock (read from
// the server once, since block times follow it, not this device's clock) moved on every 15 s while the
// page is open, and the chain's areas by name (`public.areas`; a code without a name shows as is).
import { serverNow, syncClock } from '@gongxin/ui';
import { computed, onBeforeUnmount, onMounted, ref } from 'vue';
import { api } from './api';

export type AreaRow = Awaited<ReturnType<typeof api.public.areas.query>>[number];

const TICK_MS = 15_000;

export function useStaffPage(opts: { onAreas?: (areas: AreaRow[]) => void } = {}) {
  /** The deployment's time, ms. */
  const now = ref(serverNow());
  /** Settles once the deployment clock is read (or could not be: then this device's clock stands in). */
  const clockSynced = syncClock()
    .then(() => {
      now.value = serverNow();
    })
    .catch(() => undefined);
  /** The chain's areas (empty until loaded, and when they cannot be). */
  const areas = ref<AreaRow[]>([]);
  /** Area code → its name. */
  const areaNames = computed<Record<string, string>>(() =>
    Object.fromEntries(areas.value.map((a) => [a.code, a.name])),
  );
  /** An area by its name, else its code; '' for none. */
  const areaName = (code: string | null | undefined) => (code ? (areaNames.value[code] ?? code) : '');

  let ticker: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    ticker = setInterval(() => (now.value = serverNow()), TICK_MS);
    void api.public.areas
      .query()
      .then((list) => {
        areas.value = list;
        opts.onAreas?.(list);
      })
      .catch(() => undefined);
  });
  onBeforeUnmount(() => clearInterval(ticker));

  return { now, clockSynced, areas, areaNames, areaName };
}
