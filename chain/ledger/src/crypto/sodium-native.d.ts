// The part of sodium-native (libsodium bindings) the node path uses. The package ships no types of its own.
declare module 'sodium-native' {
  const sodium: {
    /** libsodium crypto_sign_verify_detached: true when `signature` is valid for `message` under `publicKey`. */
    crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  };
  export default sodium;
}
