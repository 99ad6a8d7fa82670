// What the genesis document creates without emitting events: assets with their opening balances, and
// registered, attested and role-holding identities. Without it the read models would see a genesis-funded
// account's first transfer as money from nowhere. Applied with block 1, so a rebuild gives the same rows.
import { type GenesisDocument, type JsonValue, toJsonValue, type Value } from '@gongxin/ledger';
import type { BlockState } from './state';

type Json = Record<string, JsonValue>;

const isMap = (v: JsonValue | undefined): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: JsonValue | undefined): Json[] => (Array.isArray(v) ? v.filter(isMap) : []);
const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);

export interface GenesisSeed {
  time: number;
  sections: Json;
}

export function genesisSeed(doc: GenesisDocument): GenesisSeed {
  const sections = toJsonValue((doc.contracts ?? {}) as Value);
  return { time: doc.time, sections: isMap(sections) ? sections : {} };
}

/** The genesis document's assets, balances and identities, into the state of block 1. */
export function applyGenesis(state: BlockState, seed: GenesisSeed): void {
  const assets = seed.sections.assets;
  for (const entry of list(isMap(assets) ? assets.assets : undefined)) {
    const symbol = str(entry.symbol);
    if (!symbol) continue;
    const asset = state.touchAsset(symbol);
    asset.name = str(entry.name);
    asset.decimals = typeof entry.decimals === 'number' ? entry.decimals : null;
    asset.issuer = str(entry.issuer);
    asset.policy = str(entry.policy);
    asset.issuedHeight = 0;
    const balances = isMap(entry.balances) ? entry.balances : {};
    for (const [address, amount] of Object.entries(balances)) {
      if (typeof amount !== 'string' && typeof amount !== 'number') continue;
      const units = BigInt(amount);
      state.adjust(symbol, address, units);
      asset.supply += units;
    }
  }

  const identity = seed.sections.identity;
  if (!isMap(identity)) return;
  for (const account of list(identity.accounts)) {
    const address = str(account.address);
    if (!address) continue;
    const did = state.did(address);
    did.kind = str(account.kind);
    did.registeredHeight = 0;
  }
  for (const attestation of list(identity.attestations)) {
    const subject = str(attestation.subject);
    if (!subject) continue;
    const did = state.did(subject);
    did.attestation = 'live';
    did.attestedBy = 'genesis';
    did.attestedHeight = 0;
  }
  for (const grant of list(identity.roles)) {
    const subject = str(grant.subject);
    const app = str(grant.app);
    const role = str(grant.role);
    if (!subject || !app || !role) continue;
    const did = state.did(subject);
    const name = `${app}/${role}`;
    if (!did.roles.includes(name)) did.roles = [...did.roles, name].sort();
  }
}
