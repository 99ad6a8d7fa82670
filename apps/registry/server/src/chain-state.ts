// Reads of the registry's chain state for the views of @gongxin/contracts (enterpriseAt, inGoodStanding,
// certificateStatusAt, chainMatchContext): the keys a question needs are fetched from the node first, then
// the contract's own synchronous views run over them, so the server answers exactly as the contract rules.
import { type AppServices, clockOf } from '@gongxin/app-kit';
import { ChainError } from '@gongxin/client';
import { type Certificate, type Enterprise, registryKeys } from '@gongxin/contracts';
import type { StateReader, Value } from '@gongxin/ledger';

export class PrefetchedState implements StateReader {
  private readonly values = new Map<string, Value | undefined>();
  constructor(private readonly services: AppServices) {}

  get(key: string): Value | undefined {
    return this.values.get(key);
  }

  async load(keys: readonly string[]): Promise<void> {
    const missing = [...new Set(keys)].filter((k) => !this.values.has(k));
    await Promise.all(
      missing.map(async (key) => {
        try {
          this.values.set(key, (await this.services.chain.client.state(key)).value as unknown as Value);
        } catch (error) {
          if (error instanceof ChainError && error.code === 'not_found') this.values.set(key, undefined);
          else throw error;
        }
      }),
    );
  }

  /** An enterprise with its disclosure orders and certificates, ready for the views. */
  async loadEnterprises(usccs: readonly string[]): Promise<void> {
    await this.load(
      usccs.flatMap((u) => [registryKeys.enterprise(u), `registry/orders/${u}`, `registry/certs/${u}`]),
    );
    const ids = (key: string) => (this.get(key) as string[] | undefined) ?? [];
    await this.load(
      usccs.flatMap((u) => [
        ...ids(`registry/orders/${u}`).map(registryKeys.order),
        ...ids(`registry/certs/${u}`).map(registryKeys.certificate),
      ]),
    );
  }

  enterprise(uscc: string): Enterprise | undefined {
    return this.get(registryKeys.enterprise(uscc)) as unknown as Enterprise | undefined;
  }

  certificate(id: string): Certificate | undefined {
    return this.get(registryKeys.certificate(id)) as unknown as Certificate | undefined;
  }
}

/** Now, for views: the deployment clock, which block times (and so deadlines on chain) follow. */
export const viewNow = (services: Pick<AppServices, 'clock'>) => clockOf(services)();
