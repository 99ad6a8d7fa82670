// Byte/integer conversions shared by both crypto paths. Pure functions only: no platform APIs,
// so the browser and node paths convert keys and signatures in exactly the same way.

export {
  bytesToHex,
  bytesToNumberBE,
  bytesToNumberLE,
  concatBytes,
  equalBytes,
  hexToBytes,
  numberToBytesBE,
} from '@noble/curves/utils.js';

/**
 * Node hands back Buffers (a Uint8Array subclass backed by a shared pool); callers of the suite get
 * plain, owned Uint8Arrays so results compare and serialise identically on both paths.
 */
export function ownedBytes(view: Uint8Array): Uint8Array {
  // Not view.slice(): on a Buffer that goes through Symbol.species and returns a Buffer again.
  return new Uint8Array(view);
}

/** Map key for a byte string; latin1 keeps it one char per byte, cheaper than hex. */
export function bytesKey(bytes: Uint8Array): string {
  // apply, not spread: several times faster on the 32-byte keys of the hot paths. Chunked so long
  // inputs never exceed the engine's argument limit.
  const chunk = 4096;
  if (bytes.length <= chunk) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  for (let i = 0; i < bytes.length; i += chunk)
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]);
  return out;
}
