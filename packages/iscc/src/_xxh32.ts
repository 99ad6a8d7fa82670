// xxh32 (seed 0) from xxhash-wasm: its WebAssembly module is inlined in the package, so the same code
// loads in Node and in a browser without fetching a file. Loading is asynchronous once; the codes that
// need it (Text, Data) await `xxh32Ready()` and then hash synchronously.
import xxhash from 'xxhash-wasm';

export type Xxh32 = (bytes: Uint8Array) => number;

let loading: Promise<Xxh32> | undefined;

export function xxh32Ready(): Promise<Xxh32> {
  loading ??= xxhash().then((api) => (bytes: Uint8Array) => api.h32Raw(bytes, 0) >>> 0);
  return loading;
}
