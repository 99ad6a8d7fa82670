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
  return String.fromCharCode(...bytes);
}
