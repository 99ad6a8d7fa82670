// Accounts, signers and a wallet that builds, signs and sends txs. One tx builder for servers and
// browsers: `sendTx` fills in the chain id (cached by the client), sender, key and the next nonce (counted
// by a NonceBook, see nonces.ts), signs with whatever holds the key (a Wallet's account, a browser
// keyring) and submits. After a refusal the count is forgotten, so one lost tx does not leave a gap that
// stalls the rest; with `retryStaleNonce` a tx refused for a stale nonce is numbered afresh and sent again
// once (the same actions, so the same consent).
import {
  type Action,
  type Address,
  addressFromPublicKey,
  type CryptoSuite,
  type SignedTx,
  type SuiteId,
  signTx,
  type TxBody,
} from '@gongxin/ledger';
import type { CommittedTxJson } from '@gongxin/node/api';
import type { ChainClient } from './client';
import { ChainError, toChainError } from './errors';
import { NonceBook } from './nonces';

export interface Account {
  readonly suite: CryptoSuite;
  readonly address: Address;
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export function accountFromPrivateKey(suite: CryptoSuite, privateKey: Uint8Array): Account {
  const publicKey = suite.publicKeyFromPrivate(privateKey);
  return { suite, address: addressFromPublicKey(suite, publicKey), publicKey, privateKey };
}

/** A new random account (the platform's CSPRNG). Keep its private key safe: it is the account. */
export function generateAccount(suite: CryptoSuite): Account {
  return accountFromPrivateKey(suite, suite.randomPrivateKey());
}

/** Whatever holds an account's key: signs a tx body it is handed. */
export interface TxSigner {
  readonly address: Address;
  readonly suiteId: SuiteId;
  readonly publicKey: Uint8Array;
  sign(body: TxBody): SignedTx;
}

export function accountSigner(account: Account): TxSigner {
  return {
    address: account.address,
    suiteId: account.suite.id,
    publicKey: account.publicKey,
    sign: (body) => signTx(account.suite, body, account.privateKey),
  };
}

export interface TxDraft {
  actions: Action[];
  memo?: string;
  /** Set explicitly to bypass the nonce counter. */
  nonce?: number;
}

export interface SendOptions {
  memo?: string;
  timeoutMs?: number;
}

export interface SendTxOptions extends SendOptions {
  /** Submit without waiting for the block (the answer is then only the tx id). Default: wait. */
  wait?: boolean;
  /** On `bad_nonce`, forget the count, number the tx afresh and send it once more. Default: false. */
  retryStaleNonce?: boolean;
}

/** The unsigned tx: chain id from the client's cache, the nonce from the book unless the draft has one. */
export async function buildTx(
  client: ChainClient,
  nonces: NonceBook,
  signer: TxSigner,
  draft: TxDraft,
): Promise<TxBody> {
  // Both questions leave in the same tick, so the client batches them into one request.
  const [{ chainId, suite }] = await Promise.all([
    client.identity(),
    draft.nonce === undefined ? nonces.prime(signer.address) : undefined,
  ]);
  if (suite.id !== signer.suiteId)
    throw new ChainError('wrong_suite', `the chain uses ${suite.id}, this account ${signer.suiteId}`);
  const nonce = draft.nonce ?? (await nonces.allocate(signer.address));
  const body: TxBody = {
    chainId,
    from: signer.address,
    key: signer.publicKey,
    nonce,
    actions: draft.actions,
  };
  if (draft.memo !== undefined) body.memo = draft.memo;
  return body;
}

export function sendTx(
  client: ChainClient,
  nonces: NonceBook,
  signer: TxSigner,
  actions: Action[],
  opts: SendTxOptions & { wait: false },
): Promise<{ id: string; tx: SignedTx }>;
export function sendTx(
  client: ChainClient,
  nonces: NonceBook,
  signer: TxSigner,
  actions: Action[],
  opts?: SendTxOptions,
): Promise<CommittedTxJson>;
/** Build, sign and submit (and by default wait for the block: the receipt, `ok: false` if the tx failed). */
export async function sendTx(
  client: ChainClient,
  nonces: NonceBook,
  signer: TxSigner,
  actions: Action[],
  opts: SendTxOptions = {},
): Promise<CommittedTxJson | { id: string; tx: SignedTx }> {
  for (let attempt = 0; ; attempt++) {
    const signed = signer.sign(await buildTx(client, nonces, signer, { actions, memo: opts.memo }));
    try {
      if (opts.wait === false) return { id: (await client.submit(signed)).id, tx: signed };
      return await client.submitAndWait(signed, { timeoutMs: opts.timeoutMs });
    } catch (error) {
      const chainError = toChainError(error);
      // Not admitted: this nonce was never used, so the count is off from here on. (A timeout was
      // admitted and may still commit.)
      if (chainError.code !== 'timeout') nonces.reset(signer.address);
      if (chainError.code === 'bad_nonce' && opts.retryStaleNonce && attempt === 0) continue;
      throw chainError;
    }
  }
}

export class Wallet {
  private readonly nonces: NonceBook;
  private readonly signer: TxSigner;

  constructor(
    readonly client: ChainClient,
    readonly account: Account,
  ) {
    this.nonces = new NonceBook(client);
    this.signer = accountSigner(account);
  }

  get address(): Address {
    return this.account.address;
  }

  /** Forget the local count; the next tx asks the node again. */
  resetNonce(): void {
    this.nonces.reset(this.address);
  }

  buildTx(draft: TxDraft): Promise<TxBody> {
    return buildTx(this.client, this.nonces, this.signer, draft);
  }

  sign(body: TxBody): SignedTx {
    return this.signer.sign(body);
  }

  /** Build, sign, submit and wait for the block: the receipt and events (`ok: false` if the tx failed). */
  send(actions: Action[], opts: SendOptions = {}): Promise<CommittedTxJson> {
    return sendTx(this.client, this.nonces, this.signer, actions, opts);
  }

  /** Build, sign and submit without waiting: the tx id. */
  submit(actions: Action[], opts: { memo?: string } = {}): Promise<{ id: string; tx: SignedTx }> {
    return sendTx(this.client, this.nonces, this.signer, actions, { memo: opts.memo, wait: false });
  }
}

export function createWallet(client: ChainClient, account: Account): Wallet {
  return new Wallet(client, account);
}
