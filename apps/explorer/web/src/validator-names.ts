// Validators' names by key for what names a validator (a block's proposer, a proposal to remove one or
// change its voting power, on a tx page as on the members' pages). One load shared by every page and line,
// again after a minute; a failed load leaves the keys to speak for themselves and is tried again after a
// wait that doubles with each failure (2 s up to a minute), so a page of many lines does not ask for every
// line while the chain's API is down.
import { shallowRef } from 'vue';
import { api } from './api';

const names = shallowRef<ReadonlyMap<string, string>>(new Map());
let loading: Promise<void> | null = null;
/** When the next load may start (after a success, once the names are a minute old). */
let nextAt = Number.NEGATIVE_INFINITY;
let failures = 0;
const FRESH_MS = 60_000;
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 60_000;

function refresh() {
  if (loading || Date.now() < nextAt) return;
  loading = Promise.resolve()
    .then(() => api.validators.list.query())
    .then((answer) => {
      names.value = new Map(answer.validators.map((v) => [v.key.toLowerCase(), v.name]));
      failures = 0;
      nextAt = Date.now() + FRESH_MS;
    })
    .catch(() => {
      failures += 1;
      nextAt = Date.now() + Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1));
    })
    .finally(() => {
      loading = null;
    });
}

/** A reader of validators' names; reading it in a render re-renders once the names arrive. */
export function useValidatorNames(): (key: string) => string | undefined {
  refresh();
  return (key) => names.value.get(key.toLowerCase());
}

/** Forgets the names, a load under way and any wait after a failure (a fresh page, as in tests). */
export function resetValidatorNames(): void {
  names.value = new Map();
  loading = null;
  nextAt = Number.NEGATIVE_INFINITY;
  failures = 0;
}
