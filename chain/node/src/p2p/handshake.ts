// Peer authentication. Each side sends a hello with its node key and a fresh 32-byte challenge, then
// proves it holds that key by signing the *other* side's challenge, bound to both keys, the chain id and
// the genesis hash. The signed bytes are domain-separated (`type: 'p2p-auth'`), so a handshake signature
// can never be passed off as a vote, a proposal or a transaction, and a signature made for one link
// (one pair of keys, one chain, one challenge) is worthless on any other.
import { randomBytes } from 'node:crypto';
import { type CryptoSuite, encodeCanonical, equalBytes } from '@gongxin/ledger';
import { type Hello, PROTOCOL_VERSION } from './wire';

export interface AuthContext {
  chainId: string;
  genesisHash: Uint8Array;
}

/**
 * The exact bytes a node signs to authenticate to a peer: `challenge` is the peer's challenge, `from`
 * the signer's node key, `to` the peer's node key.
 */
export function authSignBytes(
  ctx: AuthContext,
  challenge: Uint8Array,
  from: Uint8Array,
  to: Uint8Array,
): Uint8Array {
  return encodeCanonical({
    type: 'p2p-auth',
    chainId: ctx.chainId,
    genesisHash: ctx.genesisHash,
    challenge,
    from,
    to,
  });
}

export function newChallenge(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

export function makeHello(ctx: AuthContext, nodeKey: Uint8Array, challenge: Uint8Array): Hello {
  return {
    version: PROTOCOL_VERSION,
    chainId: ctx.chainId,
    genesisHash: ctx.genesisHash,
    nodeKey,
    challenge,
  };
}

export type HelloCheck =
  | { ok: true }
  | { ok: false; reason: 'version' | 'wrong_chain' | 'malformed'; detail: string };

/** Is this hello for our protocol version, chain and genesis, with a key of our suite? */
export function checkHello(ctx: AuthContext, suite: CryptoSuite, hello: Hello): HelloCheck {
  if (hello.version !== PROTOCOL_VERSION)
    return {
      ok: false,
      reason: 'version',
      detail: `protocol version ${hello.version}, expected ${PROTOCOL_VERSION}`,
    };
  if (hello.chainId !== ctx.chainId)
    return { ok: false, reason: 'wrong_chain', detail: `chain ${JSON.stringify(hello.chainId)}` };
  if (!equalBytes(hello.genesisHash, ctx.genesisHash))
    return { ok: false, reason: 'wrong_chain', detail: 'another genesis' };
  if (hello.nodeKey.length !== suite.publicKeyLength)
    return { ok: false, reason: 'malformed', detail: `a ${hello.nodeKey.length}-byte key` };
  return { ok: true };
}

/** Did `peerKey` sign our challenge for a link from it to us? */
export function verifyAuth(
  ctx: AuthContext,
  suite: CryptoSuite,
  ourChallenge: Uint8Array,
  peerKey: Uint8Array,
  ourKey: Uint8Array,
  signature: Uint8Array,
): boolean {
  return suite.verify(signature, authSignBytes(ctx, ourChallenge, peerKey, ourKey), peerKey);
}
