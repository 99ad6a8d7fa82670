// A page's data: loading, the answer, or an error in words; `load()` again to retry or refresh. A refresh
// keeps showing the previous answer, so live updates do not flicker, and a refresh that fails keeps it too.
import { errorMessage } from '@gongxin/ui';
import { type Ref, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';

export interface Loader<T> {
  data: Ref<T | null>;
  error: Ref<string | null>;
  /** The failed call was a 404: the page says "not found" rather than "error". */
  notFound: Ref<boolean>;
  /** The server refused what was asked as malformed (a 400): the page says what a valid one looks like. */
  badInput: Ref<boolean>;
  loading: Ref<boolean>;
  load(): Promise<void>;
  /** Loads again for a live update: if that fails, the answer already shown stays (no error page). */
  refresh(): Promise<void>;
}

/**
 * `key`: what the answer is of (the address, tx id, block a route names). When a load starts for another
 * key, the previous answer leaves the page at once (the skeleton shows) rather than standing, clickable,
 * under the new address until the new answer arrives.
 */
export function useLoader<T>(fetch: () => Promise<T>, opts: { key?: () => unknown } = {}): Loader<T> {
  const { t } = useI18n();
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const error = ref<string | null>(null);
  const notFound = ref(false);
  const badInput = ref(false);
  const loading = ref(false);
  let generation = 0;
  let shownKey: unknown;
  async function run(refreshing: boolean) {
    const mine = ++generation;
    const key = opts.key?.();
    if (key !== shownKey) {
      data.value = null;
      error.value = null;
      notFound.value = false;
      badInput.value = false;
      shownKey = key;
    }
    loading.value = true;
    try {
      const answer = await fetch();
      if (mine !== generation) return;
      data.value = answer;
      error.value = null;
      notFound.value = false;
      badInput.value = false;
    } catch (e) {
      if (mine !== generation) return;
      // A live refresh that fails keeps the answer on the page (and whatever the reader did with it, a
      // verification they ran): the next block refreshes again.
      if (refreshing && data.value !== null && error.value === null) return;
      error.value = errorMessage(e, (key, named) => t(key, named ?? {}));
      const status = (e as { data?: { httpStatus?: number } }).data?.httpStatus;
      notFound.value = status === 404;
      badInput.value = status === 400;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }
  return { data, error, notFound, badInput, loading, load: () => run(false), refresh: () => run(true) };
}
