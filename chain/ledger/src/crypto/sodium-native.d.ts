// The part of sodium-native (libsodium bindings) the node path uses. The package ships no types of its own.
declare module 'sodium-native' {
  const sodium: {
    /** libsodium crypto_sign_verify_detached: true when `signature` is valid for `message` under `publicKey`. */
    crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
    /** libsodium crypto_sign_seed_keypair: the 32-byte public key and 64-byte secret key of a 32-byte seed. */
    crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
    /** libsodium crypto_sign_detached: writes the 64-byte signature of `message` under `secretKey`. */
    crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  };
  export default sodium;
}
