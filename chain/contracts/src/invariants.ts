// Properties the core contracts' state must satisfy after every block, checked by the property tests
// and available to nodes and auditors. Reads only; needs a state that can list keys by prefix (the
// node's MemoryState: fold each block's writes into it with apply(writes)).
import { asBigInt, type StateReader, type Value } from '@gongxin/ledger';
import type { Packet } from './assets/views';
import { checkChannelsState } from './channels/invariants';
import { MAX_AMOUNT } from './common';
import { checkCopyrightState } from './copyright/invariants';
import { checkEnergyState } from './energy/invariants';
import { identityKeys } from './identity/views';
import { checkParkingState } from './parking/invariants';
import { checkRegistryInvariants } from './registry/invariants';
import { checkWelfareState } from './welfare/invariants';

export interface ScannableState extends StateReader {
  scan(prefix: string): Iterable<[string, Value]>;
}

type Totals = { balances: bigint; locked: bigint; openPackets: bigint; escrowed: bigint };

/** Describes every violated invariant; empty when all hold. */
export function checkInvariants(state: ScannableState): string[] {
  const problems: string[] = [];
  const amount = (key: string, value: Value | undefined, what: string, min = 1n): bigint => {
    const n = asBigInt(value);
    if (n === undefined) {
      problems.push(`${key}: ${what} is not an integer`);
      return 0n;
    }
    if (n < min || n > MAX_AMOUNT) problems.push(`${key}: ${what} ${n} is outside ${min}..${MAX_AMOUNT}`);
    return n;
  };

  const supplies = new Map<string, { supply: bigint; maxSupply?: bigint }>();
  const totals = new Map<string, Totals>();
  const totalsOf = (symbol: string) => {
    const t = totals.get(symbol) ?? { balances: 0n, locked: 0n, openPackets: 0n, escrowed: 0n };
    totals.set(symbol, t);
    return t;
  };

  for (const [key, value] of state.scan('assets/')) {
    const [, kind, symbol = ''] = key.split('/');
    if (kind === 'asset') {
      const asset = value as { supply: Value; maxSupply?: Value };
      const supply = amount(key, asset.supply, 'supply', 0n);
      const maxSupply = asset.maxSupply === undefined ? undefined : amount(key, asset.maxSupply, 'maxSupply');
      if (maxSupply !== undefined && supply > maxSupply)
        problems.push(`${key}: supply ${supply} exceeds maxSupply ${maxSupply}`);
      supplies.set(symbol, { supply, ...(maxSupply !== undefined && { maxSupply }) });
    } else if (kind === 'bal') {
      totalsOf(symbol).balances += amount(key, value, 'balance');
    } else if (kind === 'locked') {
      totalsOf(symbol).locked += amount(key, value, 'locked amount');
    } else if (kind === 'packet') {
      const packet = value as unknown as Packet;
      const total = amount(key, packet.total, 'total');
      const remaining = amount(key, packet.remaining, 'remaining', 0n);
      let claimed = 0n;
      for (const claim of packet.claims) claimed += amount(key, claim.amount, 'claim');
      if (claimed + remaining !== total)
        problems.push(`${key}: claims ${claimed} + remaining ${remaining} != total ${total}`);
      if (packet.claims.length > packet.count)
        problems.push(`${key}: ${packet.claims.length} claims for ${packet.count} shares`);
      if (new Set(packet.claims.map((c) => c.address)).size !== packet.claims.length)
        problems.push(`${key}: an address claimed twice`);
      if (packet.status === 'emptied' && (packet.claims.length !== packet.count || remaining !== 0n)) {
        problems.push(
          `${key}: emptied but ${packet.claims.length}/${packet.count} claimed, ${remaining} remaining`,
        );
      }
      if (packet.status === 'open') totalsOf(packet.symbol).openPackets += remaining;
    }
  }

  // Units the copyright contract holds in escrow are locked in the same pool as red packets.
  const copyright = checkCopyrightState(state);
  problems.push(...copyright.problems);
  for (const [symbol, amount] of copyright.escrowed) totalsOf(symbol).escrowed += amount;
  problems.push(...checkRegistryInvariants(state));
  // Welfare payments sent and not yet settled are locked in the same pool.
  const welfare = checkWelfareState(state);
  problems.push(...welfare.problems);
  for (const [symbol, amount] of welfare.inFlight) totalsOf(symbol).escrowed += amount;
  // Parking payments held until the daily settlement are locked in the same pool.
  const parking = checkParkingState(state);
  problems.push(...parking.problems);
  for (const [symbol, amount] of parking.held) totalsOf(symbol).escrowed += amount;
  // Buy orders of the energy market hold their escrow in the same pool.
  const energy = checkEnergyState(state);
  problems.push(...energy.problems);
  for (const [symbol, amount] of energy.escrowed) totalsOf(symbol).escrowed += amount;
  // Channels hold their deposits (and, once settled, the payouts not yet withdrawn) in the same pool.
  const channels = checkChannelsState(state);
  problems.push(...channels.problems);
  for (const [symbol, amount] of channels.escrowed) totalsOf(symbol).escrowed += amount;

  for (const [symbol, t] of totals) {
    if (!supplies.has(symbol))
      problems.push(`assets of unknown asset ${symbol}: balances ${t.balances}, locked ${t.locked}`);
  }
  for (const [symbol, { supply }] of supplies) {
    const t = totalsOf(symbol);
    if (supply !== t.balances + t.locked)
      problems.push(`${symbol}: supply ${supply} != balances ${t.balances} + locked ${t.locked}`);
    if (t.locked !== t.openPackets + t.escrowed)
      problems.push(
        `${symbol}: locked ${t.locked} != remaining of open packets ${t.openPackets} + open escrows ${t.escrowed}`,
      );
  }

  // The roles index is what apps read; it must list exactly the role records.
  const roles = new Map<string, string[]>();
  for (const [key] of state.scan('identity/role/')) {
    const [, , subject = '', app, role] = key.split('/');
    roles.set(subject, [...(roles.get(subject) ?? []), `${app}/${role}`]);
  }
  for (const [key, value] of state.scan('identity/roles/')) {
    const subject = key.slice(identityKeys.roles('').length);
    const expected = (roles.get(subject) ?? []).sort().join(',');
    if ((value as string[]).join(',') !== expected)
      problems.push(`${key}: index [${String(value)}] != role records [${expected}]`);
    roles.delete(subject);
  }
  for (const subject of roles.keys())
    problems.push(`identity/roles/${subject}: missing from the roles index`);
  return problems;
}
