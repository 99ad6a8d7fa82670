// Validators' names by key for sentences that name a validator (a proposal to remove one or change its
// voting power, on a tx page as on the members' pages). Loaded once and shared by every line of the page,
// again after a minute; a failed load leaves the keys to speak for themselves and is tried again later.
import { shallowRef } from 'vue';
import { api } from './api';

const names = shallowRef<ReadonlyMap<string, string>>(new Map());
let loading: Promise<void> | null = null;
let loadedAt = Number.NEGATIVE_INFINITY;
const FRESH_MS = 60_000;

function refresh() {
  if (loading || Date.now() - loadedAt < FRESH_MS) return;
  loading = Promise.resolve()
    .then(() => api.validators.list.query())
    .then((answer) => {
      names.value = new Map(answer.validators.map((v) => [v.key.toLowerCase(), v.name]));
      loadedAt = Date.now();
    })
    .catch(() => undefined)
    .finally(() => {
      loading = null;
    });
}

/** A reader of validators' names; reading it in a render re-renders once the names arrive. */
export function useValidatorNames(): (key: string) => string | undefined {
  refresh();
  return (key) => names.value.get(key.toLowerCase());
}
