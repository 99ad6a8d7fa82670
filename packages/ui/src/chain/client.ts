// The browser's way to the chain: @gongxin/client (the same SDK servers use) on the configured node API
// mount, with cookies kept to this origin. Its chain identity and, in the keyring, its nonce counts are
// cached for as long as the page lives.
import { type ChainClient, createChainClient } from '@gongxin/client';
import { uiConfig } from '../config';

/** A chain client on `base` (default: the configured `/chain`). The global fetch is looked up per call. */
export function createUiChainClient(base: string = uiConfig.chainBase): ChainClient {
  return createChainClient({
    url: base,
    fetch: (input, init) => globalThis.fetch(input, { credentials: 'same-origin', ...init }),
  });
}

// An asset's decimals never change once issued, so they are asked once per client.
const decimalsCaches = new WeakMap<ChainClient, Map<string, Promise<number | undefined>>>();

/**
 * The decimals of the given assets (from the assets contract's `assets/asset/<SYMBOL>` record), for
 * showing amounts in the sign dialog. Assets the chain does not know, or a failed lookup, are left out.
 */
export async function assetDecimals(
  client: ChainClient,
  symbols: Iterable<string>,
): Promise<Record<string, number>> {
  const known = decimalsCaches.get(client) ?? new Map<string, Promise<number | undefined>>();
  decimalsCaches.set(client, known);
  const out: Record<string, number> = {};
  await Promise.all(
    [...new Set(symbols)].map(async (symbol) => {
      let lookup = known.get(symbol);
      if (!lookup) {
        lookup = client.state(`assets/asset/${symbol}`).then(
          (entry) => {
            const decimals = (entry.value as { decimals?: unknown } | null)?.decimals;
            return typeof decimals === 'number' ? decimals : undefined;
          },
          () => {
            // Not cached: the asset may be issued later in this session, or the network may come back.
            known.delete(symbol);
            return undefined;
          },
        );
        known.set(symbol, lookup);
      }
      const decimals = await lookup;
      if (decimals !== undefined) out[symbol] = decimals;
    }),
  );
  return out;
}
