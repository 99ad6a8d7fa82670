// Which accounts an event names, and in which attributes. Contracts name accounts under many keys (from,
// to, subject, issuer, creator, claimer, by, voter, operator inside a validator list…), and app contracts
// will add more: rather than a list per event, every attribute value is looked at, nested ones included,
// and any canonical `gx1…` address or `did:gx:…` found counts. The role is the top-level attribute name.
import type { JsonValue } from '@gongxin/ledger';
import { addressOfDid, isAddress } from '@gongxin/ledger';

function collect(value: JsonValue, role: string, found: Map<string, string[]>): void {
  if (typeof value === 'string') {
    let address: string | null = null;
    if (value.startsWith('gx1') && isAddress(value)) address = value;
    else if (value.startsWith('did:gx:')) address = addressOfDid(value);
    if (address) {
      const roles = found.get(address);
      if (!roles) found.set(address, [role]);
      else if (!roles.includes(role)) roles.push(role);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, role, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collect(item, role, found);
  }
}

/** Address → the attribute names it appears under, in the event's attribute order. */
export function namedAddresses(attrs: JsonValue): Map<string, string[]> {
  const found = new Map<string, string[]>();
  if (attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs)) {
    for (const [key, value] of Object.entries(attrs)) collect(value, key, found);
  }
  return found;
}
