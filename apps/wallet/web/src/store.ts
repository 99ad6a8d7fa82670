// What several pages share: the signed-in account's balances (send, receive, red packets pick from them),
// refreshed after each action the person takes.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type Balance } from './api';

export const useBalances = defineStore('wallet-balances', () => {
  const items = ref<Balance[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<unknown>(null);

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      items.value = await api.balances.query();
      error.value = null;
      loaded.value = true;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  async function load(): Promise<void> {
    if (!loaded.value && !loading.value) await refresh();
  }

  const of = (symbol: string) => items.value.find((b) => b.symbol === symbol);

  return { items, loaded, loading, error, refresh, load, of };
});
