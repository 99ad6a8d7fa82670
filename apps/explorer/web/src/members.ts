// The consortium member at this browser: which keyring account signs governance actions (one whose
// address operates a current validator), bringing an operator's key file into the keyring, and the words
// for a proposal's change. The chain decides who may propose and vote; the page only picks the key.
import { type KeyringAccount, useKeyring } from '@gongxin/ui';
import { computed, type Ref, ref } from 'vue';
import type { Loader } from './load';

export interface Member {
  operator: string;
  validators: string[];
  power: number;
}

const ACTING_KEY = 'gongxin.explorer.member';

/** The keyring accounts that are members, and the one acting now (remembered on this device). */
export function useMember(members: Ref<readonly Member[] | null>) {
  const keyring = useKeyring();
  const mine = computed<(KeyringAccount & Member)[]>(() => {
    const list = members.value ?? [];
    return keyring.accounts.flatMap((a) => {
      const m = list.find((x) => x.operator === a.address);
      return m ? [{ ...a, ...m }] : [];
    });
  });
  const chosen = ref<string | null>(localStorage.getItem(ACTING_KEY));
  const acting = computed(() => mine.value.find((m) => m.address === chosen.value) ?? mine.value[0] ?? null);
  function act(address: string) {
    chosen.value = address;
    localStorage.setItem(ACTING_KEY, address);
  }
  return { keyring, mine, acting, act };
}

/** An operator key file (`validator-key.json` as `gongxin init` writes it): suite and private key, in hex. */
export function parseKeyFile(text: string): { suite: string; privateKey: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('not_json');
  }
  const { suite, privateKey } = (parsed ?? {}) as { suite?: unknown; privateKey?: unknown };
  if (typeof suite !== 'string' || typeof privateKey !== 'string' || !/^[0-9a-fA-F]{64}$/.test(privateKey))
    throw new Error('not_key_file');
  return { suite, privateKey };
}

/**
 * A public key as the explorer shows keys everywhere (block proposers, signers, the validator set): lowercase
 * hex without a prefix. Action params carry bytes as `0x…` hex, so a proposal's key arrives with one.
 */
export function keyHex(key: string): string {
  return key.replace(/^0x/i, '').toLowerCase();
}

/**
 * Validators in a stable order: by name (node2 before node10), then by key — the order a member finds
 * a validator in, the same on every refresh whatever the chain lists first.
 */
export function byName<T extends { name: string; key: string }>(validators: readonly T[]): T[] {
  const names = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return [...validators].sort(
    (a, b) => names.compare(a.name, b.name) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Short text for a proposal's payload: the fields a member checks before voting. */
export function payloadSummary(kind: string, payload: Json): Record<string, string> {
  const p = (payload && typeof payload === 'object' && !Array.isArray(payload) ? payload : {}) as Record<
    string,
    Json
  >;
  const s = (v: Json | undefined) =>
    v === undefined ? '' : Array.isArray(v) ? v.join(', ') : v === null ? '—' : String(v);
  const key = (v: Json | undefined) => (typeof v === 'string' ? keyHex(v) : s(v));
  switch (kind) {
    case 'addValidator':
      return { name: s(p.name), key: key(p.key), operator: s(p.operator), power: s(p.power) };
    case 'removeValidator':
      return { key: key(p.key) };
    case 'setPower':
      return { key: key(p.key), power: s(p.power) };
    case 'grantAuthority':
      return { address: s(p.address), name: s(p.name), scopes: s(p.scopes) };
    case 'revokeAuthority':
      return { address: s(p.address) };
    case 'activateContract':
      return { contract: s(p.contract), version: s(p.version), height: s(p.height) };
    case 'setParam':
      return { name: s(p.name), value: s(p.value) };
    case 'setCalendar':
      return { year: s(p.year), holidays: s(p.holidays), workdays: s(p.workdays) };
    default:
      return { payload: JSON.stringify(payload) };
  }
}

/** The tag colour of a proposal's status. */
export function statusType(status: string): 'success' | 'primary' | 'danger' | 'info' {
  return status === 'passed'
    ? 'success'
    : status === 'open'
      ? 'primary'
      : status === 'rejected'
        ? 'danger'
        : 'info';
}

/**
 * A refresh for a timer or the live stream: skipped while the previous one is still answering, since a new
 * load supersedes the one in flight and, on a slow server, a page refreshed every second would show nothing.
 */
export function refreshOf(...loaders: Loader<unknown>[]): () => Promise<void> {
  return async () => {
    await Promise.all(loaders.filter((l) => !l.loading.value).map((l) => l.refresh()));
  };
}
