// Crypto for the simulator. Real Ed25519 costs ~50 µs to verify, and a simulated height verifies
// hundreds of votes, so by default the simulator runs with a fast stand-in that honours the ledger's
// CryptoSuite contract (lengths, determinism, verify never throws):
//
//   hash(m)                = SHA-256(m)                      (real, so block hashes, Merkle roots,
//                                                             addresses and state roots are the real ones)
//   publicKeyFromPrivate(k) = SHA-256("gongxin-sim/pk" ‖ k)
//   sign(m, k)             = MAC(pk(k), m)
//   verify(s, m, pk)       = s == MAC(pk, m)
//   MAC(pk, m)             = h ‖ SHA-256(h), h = SHA-256("gongxin-sim/sig" ‖ pk ‖ m)   (64 bytes)
//
// Verification recomputes the "signature" from the PUBLIC key, so anyone can forge anyone's signature:
// it is not a signature scheme. That is fine here because the simulated adversary only equivocates with
// its own key and never forges another validator's; what the simulation tests is the protocol's logic
// (which signatures are counted, which certificates are accepted), not the unforgeability of Ed25519.
// It still catches every "signed the wrong bytes" bug: a vote or certificate checked against different
// bytes than were signed fails exactly as it would with Ed25519. `--real-crypto` runs the real suite.
import { type CryptoSuite, concatBytes, equalBytes, toHex, utf8 } from '@gongxin/ledger';
import { getSuite, sha256 } from '@gongxin/ledger/crypto/node';

const PK_TAG = utf8('gongxin-sim/pk');
const SIG_TAG = utf8('gongxin-sim/sig');

function mac(publicKey: Uint8Array, message: Uint8Array): Uint8Array {
  const h = sha256(concatBytes(SIG_TAG, publicKey, message));
  return concatBytes(h, sha256(h));
}

export function createFastSuite(): CryptoSuite {
  const publicKeys = new Map<string, Uint8Array>();
  const publicKeyOf = (privateKey: Uint8Array): Uint8Array => {
    if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32)
      throw new Error('a simulated private key is 32 bytes');
    const id = toHex(privateKey);
    let key = publicKeys.get(id);
    if (!key) {
      key = sha256(concatBytes(PK_TAG, privateKey));
      publicKeys.set(id, key);
    }
    return key;
  };
  return Object.freeze({
    // The ledger only knows real suite ids; this one stands in for Ed25519 (same lengths, same hash).
    id: 'ed25519-sha256',
    publicKeyLength: 32,
    signatureLength: 64,
    hash: sha256,
    publicKeyFromPrivate: (privateKey: Uint8Array) => publicKeyOf(privateKey).slice(),
    sign: (message: Uint8Array, privateKey: Uint8Array) => mac(publicKeyOf(privateKey), message),
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
      if (
        !(signature instanceof Uint8Array && message instanceof Uint8Array && publicKey instanceof Uint8Array)
      )
        return false;
      if (signature.length !== 64 || publicKey.length !== 32) return false;
      return equalBytes(signature, mac(publicKey, message));
    },
    randomPrivateKey(): Uint8Array {
      throw new Error('the simulator has no randomness outside its seed');
    },
  } satisfies CryptoSuite);
}

let fast: CryptoSuite | null = null;

export function simSuite(real: boolean): CryptoSuite {
  if (real) return getSuite('ed25519-sha256');
  fast ??= createFastSuite();
  return fast;
}
