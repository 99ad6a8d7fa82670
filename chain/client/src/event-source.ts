// A minimal EventSource over `fetch`, for runtimes without one (Node 20, React Native, workers) or when
// the caller supplies its own fetch. Implements what tRPC's httpSubscriptionLink uses of the WHATWG
// interface: named events, `message`, `open`, `error`, `readyState`, `close()`; and what keeps a feed
// alive: on a dropped stream it reconnects after the server's `retry` (default 1 s) sending
// `Last-Event-ID`, so the node resumes after the last event delivered. A non-SSE answer (HTTP error)
// closes it for good, like the browser's.

type FetchFn = typeof globalThis.fetch;

export interface SseMessageEvent {
  type: string;
  data: string;
  lastEventId: string;
}

type Listener = (event: SseMessageEvent | { type: string }) => void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

export interface FetchEventSourceInit {
  withCredentials?: boolean;
  headers?: Record<string, string>;
}

export interface FetchEventSourceConstructor {
  new (url: string, init?: FetchEventSourceInit): FetchEventSourceInstance;
  readonly CONNECTING: number;
  readonly OPEN: number;
  readonly CLOSED: number;
}

export interface FetchEventSourceInstance {
  readonly CONNECTING: number;
  readonly OPEN: number;
  readonly CLOSED: number;
  readonly url: string;
  readyState: number;
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
  close(): void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** An EventSource class whose connections go through `fetchFn`. */
export function fetchEventSource(fetchFn: FetchFn): FetchEventSourceConstructor {
  return class FetchEventSource implements FetchEventSourceInstance {
    static readonly CONNECTING = CONNECTING;
    static readonly OPEN = OPEN;
    static readonly CLOSED = CLOSED;
    readonly CONNECTING = CONNECTING;
    readonly OPEN = OPEN;
    readonly CLOSED = CLOSED;
    readyState = CONNECTING;
    private readonly listeners = new Map<string, Set<Listener>>();
    private readonly abort = new AbortController();
    private lastEventId = '';
    private retryMs = 1000;

    constructor(
      readonly url: string,
      private readonly init: FetchEventSourceInit = {},
    ) {
      // Listeners are attached right after construction: start on the next tick, as a browser does.
      queueMicrotask(() => void this.run());
    }

    addEventListener(type: string, listener: Listener): void {
      let set = this.listeners.get(type);
      if (!set) {
        set = new Set();
        this.listeners.set(type, set);
      }
      set.add(listener);
    }

    removeEventListener(type: string, listener: Listener): void {
      this.listeners.get(type)?.delete(listener);
    }

    close(): void {
      this.readyState = CLOSED;
      this.abort.abort();
    }

    private dispatch(type: string, event: SseMessageEvent | { type: string }): void {
      for (const listener of [...(this.listeners.get(type) ?? [])]) {
        if (this.readyState === CLOSED && type !== 'error') return;
        listener(event);
      }
    }

    private async run(): Promise<void> {
      while (this.readyState !== CLOSED) {
        try {
          const headers: Record<string, string> = { accept: 'text/event-stream', ...this.init.headers };
          if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
          const res = await fetchFn(this.url, {
            headers,
            signal: this.abort.signal,
            ...(this.init.withCredentials && { credentials: 'include' as const }),
          });
          if (!res.ok || !res.body || !res.headers.get('content-type')?.includes('text/event-stream')) {
            await res.body?.cancel().catch(() => {});
            this.readyState = CLOSED;
            this.dispatch('error', { type: 'error' });
            return;
          }
          this.readyState = OPEN;
          this.dispatch('open', { type: 'open' });
          await this.read(res.body);
        } catch {
          // A network failure or our own abort: fall through to reconnect or stop.
        }
        if (this.readyState === CLOSED) return;
        this.readyState = CONNECTING;
        this.dispatch('error', { type: 'error' });
        await sleep(this.retryMs, this.abort.signal);
      }
    }

    /** Parses the stream as the HTML spec's event-stream format. */
    private async read(body: ReadableStream<Uint8Array>): Promise<void> {
      // The DOM and Node typings disagree on TextDecoderStream's input type; the runtime object is the same.
      const reader = body
        .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
        .getReader();
      let buffer = '';
      let data: string[] = [];
      let event = '';
      let id: string | null = null;
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          for (;;) {
            const match = /\r\n|\n|\r/.exec(buffer);
            // A lone \r at the end may be the first half of \r\n: wait for more.
            if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) break;
            const line = buffer.slice(0, match.index);
            buffer = buffer.slice(match.index + match[0].length);
            if (line === '') {
              if (id !== null) this.lastEventId = id;
              if (data.length > 0) {
                this.dispatch(event || 'message', {
                  type: event || 'message',
                  data: data.join('\n'),
                  lastEventId: this.lastEventId,
                });
              }
              data = [];
              event = '';
              id = null;
              continue;
            }
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let text = colon < 0 ? '' : line.slice(colon + 1);
            if (text.startsWith(' ')) text = text.slice(1);
            if (field === 'data') data.push(text);
            else if (field === 'event') event = text;
            else if (field === 'id' && !text.includes('\0')) id = text;
            else if (field === 'retry' && /^\d+$/.test(text)) this.retryMs = Number(text);
          }
          if (this.readyState === CLOSED) return;
        }
      } finally {
        reader.cancel().catch(() => {});
      }
    }
  };
}
