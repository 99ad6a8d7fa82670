// The registry app's demo parties on the embedded chain: the registering authorities of the demo
// enterprises' regions (深圳市市场监督管理局 and four more), a
// certifying body, the legal representatives of the demo enterprises, and the app's service key (which
// sends `sweep`). Their keys are derived from published seeds: demo only.
import { type Account, accountFromPrivateKey } from '@gongxin/client';
import type { CryptoSuite, Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';

export type RegistryPartyRole = 'authority' | 'certifier' | 'representative' | 'service';

export interface DemoParty {
  id: string;
  name: string;
  role: RegistryPartyRole;
  kind: 'person' | 'organization' | 'service';
  /** An authority's GB/T 2260 region: it registers the enterprises whose USCC names that region. */
  region?: string;
}

const authority = (id: string, name: string, region: string): DemoParty => ({
  id,
  name,
  role: 'authority',
  kind: 'organization',
  region,
});

export const DEMO_PARTIES: readonly DemoParty[] = [
  authority('samr-shenzhen', '深圳市市场监督管理局', '440300'),
  authority('samr-guangzhou-tianhe', '广州市天河区市场监督管理局', '440106'),
  authority('samr-dongguan', '东莞市市场监督管理局', '441900'),
  authority('samr-hangzhou-xihu', '杭州市西湖区市场监督管理局', '330106'),
  authority('samr-shanghai-pudong', '上海市浦东新区市场监督管理局', '310115'),
  { id: 'cqc', name: '中国质量认证中心（演示）', role: 'certifier', kind: 'organization' },
  { id: 'rep-chen', name: '陈志强', role: 'representative', kind: 'person' },
  { id: 'rep-lin', name: '林晓燕', role: 'representative', kind: 'person' },
  { id: 'rep-huang', name: '黄建国', role: 'representative', kind: 'person' },
  { id: 'rep-zhou', name: '周丽华', role: 'representative', kind: 'person' },
  { id: 'registry-service', name: '企业链服务', role: 'service', kind: 'service' },
];

export interface PartyAccount extends DemoParty {
  account: Account;
  address: string;
}

export function demoPartyAccounts(suite: CryptoSuite = getSuite('ed25519-sha256')): PartyAccount[] {
  return DEMO_PARTIES.map((p) => {
    const key = suite.hash(
      new TextEncoder().encode(`gongxin registry demo party ${p.id} (published seed, demo only)`),
    );
    const account = accountFromPrivateKey(suite, key);
    return { ...p, account, address: account.address };
  });
}

export function demoParty(parties: readonly PartyAccount[], id: string): PartyAccount {
  const found = parties.find((p) => p.id === id);
  if (!found) throw new Error(`no demo party ${id}`);
  return found;
}

/**
 * The genesis sections the registry app contributes to a fresh demo chain: its parties registered with
 * identity (a representative needs a passport), the authority with governance scope `registry`, the
 * certifying body with role registry/certifier.
 */
export function registryGenesis(
  parties: readonly PartyAccount[] = demoPartyAccounts(),
): Record<string, Value> {
  return {
    governance: {
      authorities: parties
        .filter((p) => p.role === 'authority')
        .map((p) => ({ address: p.address, name: p.name, scopes: ['registry'] })),
    },
    identity: {
      accounts: parties.map((p) => ({ address: p.address, kind: p.kind })),
      roles: parties
        .filter((p) => p.role === 'certifier')
        .map((p) => ({ subject: p.address, app: 'registry', role: 'certifier' })),
    },
  };
}
