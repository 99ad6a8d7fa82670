// xxh32 (seed 0) from xxhash-wasm: its WebAssembly module is inlined in the package, so the same code
// loads in Node and in a browser without fetching a file. Loading is asynchronous once; the codes that
// need it (Text, Data) await `xxh32Ready()` and then hash synchronously. Where WebAssembly may not be
// compiled (a page whose Content-Security-Policy has no 'wasm-unsafe-eval', as the suite's pages), the
// same function in plain JavaScript is used instead; a test holds both to the same answers.
import xxhash from 'xxhash-wasm';

export type Xxh32 = (bytes: Uint8Array) => number;

let loading: Promise<Xxh32> | undefined;

export function xxh32Ready(): Promise<Xxh32> {
  loading ??= xxhash().then(
    (api) => (bytes: Uint8Array) => api.h32Raw(bytes, 0) >>> 0,
    () => xxh32Js,
  );
  return loading;
}

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
const round = (acc: number, lane: number) => Math.imul(rotl((acc + Math.imul(lane, P2)) | 0, 13), P1);

/** xxh32 with seed 0 in plain JavaScript (XXH32 of the xxHash specification). */
export function xxh32Js(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  let i = 0;
  let h: number;
  if (length >= 16) {
    let v1 = (P1 + P2) | 0;
    let v2 = P2;
    let v3 = 0;
    let v4 = -P1 | 0;
    for (; i + 16 <= length; i += 16) {
      v1 = round(v1, view.getUint32(i, true));
      v2 = round(v2, view.getUint32(i + 4, true));
      v3 = round(v3, view.getUint32(i + 8, true));
      v4 = round(v4, view.getUint32(i + 12, true));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = P5;
  }
  h = (h + length) | 0;
  for (; i + 4 <= length; i += 4)
    h = Math.imul(rotl((h + Math.imul(view.getUint32(i, true), P3)) | 0, 17), P4);
  for (; i < length; i++) h = Math.imul(rotl((h + Math.imul(bytes[i]!, P5)) | 0, 11), P1);
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}
