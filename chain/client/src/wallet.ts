// Accounts and a wallet that builds, signs and sends txs. The wallet fills in the chain id, sender and
// signing key, and numbers txs itself: it asks the node for the account's next nonce once and then counts
// locally, so a burst of sends does not wait for each commit (the mempool queues them by nonce). After a
// refusal it forgets its count and asks again, so one lost tx does not leave a gap that stalls the rest.
import {
  type Action,
  type Address,
  addressFromPublicKey,
  type CryptoSuite,
  type SignedTx,
  signTx,
  type TxBody,
} from '@gongxin/ledger';
import type { CommittedTxJson } from '@gongxin/node/api';
import type { ChainClient } from './client';
import { ChainError, toChainError } from './errors';

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

export interface TxDraft {
  actions: Action[];
  memo?: string;
  /** Set explicitly to bypass the wallet's nonce counter. */
  nonce?: number;
}

export interface SendOptions {
  memo?: string;
  timeoutMs?: number;
}

export class Wallet {
  private nextNonce: number | null = null;
  private allocating: Promise<unknown> = Promise.resolve();

  constructor(
    readonly client: ChainClient,
    readonly account: Account,
  ) {}

  get address(): Address {
    return this.account.address;
  }

  /** The nonce for the next tx: fetched once, then counted locally. Allocations are serialised. */
  private allocateNonce(): Promise<number> {
    const next = this.allocating.then(async () => {
      if (this.nextNonce === null) this.nextNonce = (await this.client.account(this.address)).nonce;
      return this.nextNonce++;
    });
    this.allocating = next.catch(() => {});
    return next;
  }

  /** Forget the local count; the next tx asks the node again. */
  resetNonce(): void {
    this.nextNonce = null;
  }

  async buildTx(draft: TxDraft): Promise<TxBody> {
    const [chainId, suite] = await Promise.all([this.client.chainId(), this.client.suite()]);
    if (suite.id !== this.account.suite.id)
      throw new ChainError(
        'wrong_suite',
        `the chain uses ${suite.id}, this account ${this.account.suite.id}`,
      );
    const nonce = draft.nonce ?? (await this.allocateNonce());
    const body: TxBody = {
      chainId,
      from: this.address,
      key: this.account.publicKey,
      nonce,
      actions: draft.actions,
    };
    if (draft.memo !== undefined) body.memo = draft.memo;
    return body;
  }

  sign(body: TxBody): SignedTx {
    return signTx(this.account.suite, body, this.account.privateKey);
  }

  /** Build, sign, submit and wait for the block: the receipt and events (`ok: false` if the tx failed). */
  async send(actions: Action[], opts: SendOptions = {}): Promise<CommittedTxJson> {
    const signed = this.sign(await this.buildTx({ actions, memo: opts.memo }));
    try {
      return await this.client.submitAndWait(signed, { timeoutMs: opts.timeoutMs });
    } catch (error) {
      const chainError = toChainError(error);
      // Not admitted: this nonce was never used, so the count is off from here on.
      if (chainError.code !== 'timeout') this.resetNonce();
      throw chainError;
    }
  }

  /** Build, sign and submit without waiting: the tx id. */
  async submit(actions: Action[], opts: { memo?: string } = {}): Promise<{ id: string; tx: SignedTx }> {
    const signed = this.sign(await this.buildTx({ actions, memo: opts.memo }));
    try {
      const { id } = await this.client.submit(signed);
      return { id, tx: signed };
    } catch (error) {
      this.resetNonce();
      throw toChainError(error);
    }
  }
}

export function createWallet(client: ChainClient, account: Account): Wallet {
  return new Wallet(client, account);
}
