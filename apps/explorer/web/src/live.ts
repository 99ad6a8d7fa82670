// The newest block the explorer has applied, pushed by its server (`/explorer/api/live`, server-sent
// events). One stream per page, shared by the views: they reload when it moves (at most once a second).
import { defineStore } from 'pinia';
import { onUnmounted, ref, watch } from 'vue';

export const useLiveStore = defineStore('explorer-live', () => {
  const height = ref(0);
  const connected = ref(false);
  let source: EventSource | null = null;

  function connect(url = '/explorer/api/live') {
    if (source || typeof EventSource === 'undefined') return;
    source = new EventSource(url);
    source.onopen = () => {
      connected.value = true;
    };
    // The browser reconnects by itself; meanwhile the page says it is not live.
    source.onerror = () => {
      connected.value = false;
    };
    source.onmessage = (message) => {
      const data = JSON.parse(message.data) as { height?: unknown };
      if (typeof data.height === 'number') height.value = data.height;
    };
  }

  function disconnect() {
    source?.close();
    source = null;
    connected.value = false;
  }

  return { height, connected, connect, disconnect };
});

/** Calls `reload` when a new block is applied, at most once per `everyMs`; stops with the component. */
export function onNewBlock(reload: () => unknown, everyMs = 1000): void {
  const live = useLiveStore();
  live.connect();
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = watch(
    () => live.height,
    () => {
      if (timer) return;
      const wait = Math.max(0, last + everyMs - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        reload();
      }, wait);
    },
  );
  onUnmounted(() => {
    stop();
    clearTimeout(timer);
  });
}
