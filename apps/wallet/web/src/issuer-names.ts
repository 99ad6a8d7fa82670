// An asset's issuer named as the chain names it, for the balances page: an authority by the name
// governance approved it under (`governance/authority/<address>`); an app's service account by the app
// its roles are in (`identity/roles`: `parking/aggregator` → 智慧停车). People and organisations have no
// name on chain (only keyed hashes of their details), so they are shown by their address alone.
import { suiteAppName, type Translate } from '@gongxin/ui';

/** What the chain says of an account that can name it. */
export interface ChainIdentity {
  authority: { name: string } | null;
  account: { kind: string } | null;
  roles: readonly string[];
}

/** The part of a chain client this needs. */
export interface StateReader {
  state(key: string): Promise<{ value: unknown }>;
}

/** The account's name in the page's language, or null when the chain gives it none. */
export function nameFromIdentity(identity: ChainIdentity, t: Translate): string | null {
  const authority = identity.authority?.name?.trim();
  if (authority) return authority;
  if (identity.account?.kind !== 'service') return null;
  const apps = [...new Set(identity.roles.map((r) => r.slice(0, r.indexOf('/'))).filter(Boolean))];
  const app = apps.length === 1 ? suiteAppName(apps[0]!, t) : undefined;
  return app ? t('wallet.balances.appService', { app }) : null;
}

const stateValue = async (chain: StateReader, key: string): Promise<unknown> =>
  (await chain.state(key)).value ?? null;

/** The account's identity records on chain; a record the chain does not answer for counts as absent. */
export async function readIdentity(chain: StateReader, address: string): Promise<ChainIdentity> {
  const [authority, account, roles] = await Promise.all(
    [`governance/authority/${address}`, `identity/account/${address}`, `identity/roles/${address}`].map(
      (key) => stateValue(chain, key).catch(() => null),
    ),
  );
  const named = authority as { name?: unknown } | null;
  const kind = (account as { kind?: unknown } | null)?.kind;
  return {
    authority: typeof named?.name === 'string' ? { name: named.name } : null,
    account: typeof kind === 'string' ? { kind } : null,
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
  };
}
