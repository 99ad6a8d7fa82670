// Names of the accounts a page shows, so it leads with who acted and keeps the address beside it: an
// authority's name as governance records it on chain, else, on a demo deployment, the name of a demo
// account (the passport's people and an app's own seeded parties), which the app passes in. An account
// with neither has no name, and the page shows its address alone.
import { ChainError } from '@gongxin/client';
import type { AppServices } from './services';

export interface NamedAccount {
  readonly address: string;
  readonly name: string;
}

export interface AccountNamesOptions {
  /** The demo accounts' names, used only when the deployment runs the demo. Called once per suite. */
  readonly demo?: (suite: string) => Iterable<NamedAccount>;
}

/** Reads chain state keys at once; answers a key's value, undefined when absent. */
export type StateKeysReader = (keys: readonly string[]) => Promise<(key: string) => unknown>;

const authorityKey = (address: string) => `governance/authority/${address}`;

async function readEach(services: AppServices, keys: readonly string[]): Promise<(key: string) => unknown> {
  const values = new Map<string, unknown>();
  await Promise.all(
    keys.map(async (key) => {
      try {
        values.set(key, (await services.chain.client.state(key)).value);
      } catch (error) {
        if (!(error instanceof ChainError && error.code === 'not_found')) throw error;
      }
    }),
  );
  return (key) => values.get(key);
}

/** Looks up names for an app; the demo list is built once per crypto suite (deriving keys is not free). */
export function accountNamer(options: AccountNamesOptions = {}) {
  const demoBySuite = new Map<string, ReadonlyMap<string, string>>();
  const demoNames = (suite: string): ReadonlyMap<string, string> => {
    let names = demoBySuite.get(suite);
    if (!names) {
      names = new Map([...(options.demo?.(suite) ?? [])].map((a) => [a.address, a.name] as const));
      demoBySuite.set(suite, names);
    }
    return names;
  };
  /** Each of `addresses` that has a name, by address; `read` reuses state the caller already fetches. */
  return async function accountNames(
    services: AppServices,
    addresses: readonly string[],
    read?: StateKeysReader,
  ): Promise<Record<string, string>> {
    const wanted = [...new Set(addresses.filter((a) => a.length > 0))];
    if (wanted.length === 0) return {};
    const keys = wanted.map(authorityKey);
    const get = await (read ? read(keys) : readEach(services, keys));
    const demo = services.config.demo ? demoNames(services.chain.suite) : new Map<string, string>();
    const names: Record<string, string> = {};
    for (const address of wanted) {
      const authority = get(authorityKey(address)) as { name?: unknown } | undefined;
      const name = typeof authority?.name === 'string' && authority.name ? authority.name : demo.get(address);
      if (name) names[address] = name;
    }
    return names;
  };
}
