// Account nonces counted locally: the node is asked once per account, then each tx takes the next number,
// so a burst of txs neither waits for each commit nor asks before each signature (the mempool queues txs
// by nonce). Allocations of one account are serialised, so two signatures started at once get consecutive
// nonces. After a refusal the count is forgotten and the next allocation asks the node again.
import type { ChainClient } from './client';

export class NonceBook {
  private readonly next = new Map<string, number>();
  private readonly asking = new Map<string, Promise<number>>();
  private readonly tails = new Map<string, Promise<unknown>>();
  // Bumped by reset: an answer asked for before a reset must not overwrite what came after it.
  private readonly generation = new Map<string, number>();

  constructor(private readonly client: Pick<ChainClient, 'account'>) {}

  private ask(address: string): Promise<number> {
    let asked = this.asking.get(address);
    if (!asked) {
      const generation = this.generation.get(address) ?? 0;
      asked = this.client.account(address).then((account) => {
        if ((this.generation.get(address) ?? 0) === generation && !this.next.has(address))
          this.next.set(address, account.nonce);
        return account.nonce;
      });
      const forget = () => this.asking.delete(address);
      asked.then(forget, forget);
      this.asking.set(address, asked);
    }
    return asked;
  }

  /** Ask the node now unless the count is known, so a later allocate needs no round trip. Never rejects. */
  prime(address: string): Promise<void> {
    if (this.next.has(address)) return Promise.resolve();
    return this.ask(address).then(
      () => undefined,
      () => undefined,
    );
  }

  /** The nonce for the account's next tx. */
  allocate(address: string): Promise<number> {
    const tail = this.tails.get(address) ?? Promise.resolve();
    const allocated = tail.then(async () => {
      let nonce = this.next.get(address);
      if (nonce === undefined) {
        await this.ask(address);
        // The answer may predate a reset that came while it was in flight: then ask again.
        nonce = this.next.get(address) ?? (await this.client.account(address)).nonce;
      }
      this.next.set(address, nonce + 1);
      return nonce;
    });
    this.tails.set(
      address,
      allocated.catch(() => undefined),
    );
    return allocated;
  }

  /** Forget the count of one account: its next allocation asks the node. */
  reset(address: string): void {
    this.next.delete(address);
    this.generation.set(address, (this.generation.get(address) ?? 0) + 1);
  }
}
