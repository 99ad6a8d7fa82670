// The only code that changes balances, supplies and locked amounts. The assets actions use it, and so do
// later contracts (channels, welfare, energy, parking) with any ContractContext: writes always go to the
// assets key space. Each function checks amounts, freezes and funds the same way, emits exactly one
// balance event (so an indexer can follow every balance from events alone) and keeps
// supply == Σ balances + locked. They do not check *who* may move the funds: the calling action or
// contract decides that before it calls.
import { type Address, type ContractContext, ContractError } from '@gongxin/ledger';
import { addAmounts, checkAmount } from '../common';
import { assetsEvents } from './events';
import { type Asset, assetKeys, assetOf, balanceOf, isFrozen, lockedOf } from './views';

function assetsContext(ctx: ContractContext): ContractContext {
  return ctx.contract === 'assets' ? ctx : ctx.as('assets');
}

export function requireAsset(ctx: ContractContext, symbol: string): Asset {
  const asset = assetOf(ctx, symbol);
  if (!asset) throw new ContractError('not_found', `no asset ${symbol}`);
  return asset;
}

function requireNotFrozen(ctx: ContractContext, symbol: string, address: Address): void {
  if (isFrozen(ctx, symbol, address)) throw new ContractError('frozen', `${symbol} of ${address} is frozen`);
}

function requireFunds(ctx: ContractContext, symbol: string, address: Address, amount: bigint): bigint {
  const balance = balanceOf(ctx, symbol, address);
  if (balance < amount) {
    throw new ContractError('insufficient_funds', `${address} holds ${balance} ${symbol}, ${amount} needed`);
  }
  return balance;
}

// Zero balances are deleted so that holding nothing and never having held anything look the same.
function setBalance(ctx: ContractContext, symbol: string, address: Address, amount: bigint): void {
  if (amount === 0n) ctx.delete(assetKeys.balance(symbol, address));
  else ctx.set(assetKeys.balance(symbol, address), amount);
}

function setLocked(ctx: ContractContext, symbol: string, amount: bigint): void {
  if (amount === 0n) ctx.delete(assetKeys.locked(symbol));
  else ctx.set(assetKeys.locked(symbol), amount);
}

function setSupply(ctx: ContractContext, asset: Asset, supply: bigint): Asset {
  const updated = { ...asset, supply };
  ctx.set(assetKeys.asset(asset.symbol), updated);
  return updated;
}

/** Moves units between two accounts. Refuses a transfer to oneself (it would only produce an event). */
export function transferBetween(
  context: ContractContext,
  symbol: string,
  from: Address,
  to: Address,
  amount: bigint,
  memo?: string,
): void {
  const ctx = assetsContext(context);
  checkAmount(amount, 'amount');
  requireAsset(ctx, symbol);
  if (from === to) throw new ContractError('not_allowed', 'sender and recipient are the same account');
  requireNotFrozen(ctx, symbol, from);
  requireNotFrozen(ctx, symbol, to);
  const fromBalance = requireFunds(ctx, symbol, from, amount);
  const toBalance = addAmounts(balanceOf(ctx, symbol, to), amount, `balance of ${to}`);
  setBalance(ctx, symbol, from, fromBalance - amount);
  setBalance(ctx, symbol, to, toBalance);
  assetsEvents.emit(ctx, 'transferred', { symbol, from, to, amount, ...(memo !== undefined && { memo }) });
}

/**
 * Creates units: supply grows, within the maximum supply and MAX_AMOUNT. Used when an asset is issued
 * (its initial supply, whatever its policy) and by `credit`; not exported from the package, so other
 * contracts can only create units of mintable assets.
 */
export function mintUnits(context: ContractContext, asset: Asset, to: Address, amount: bigint): Asset {
  const ctx = assetsContext(context);
  checkAmount(amount, 'amount');
  requireNotFrozen(ctx, asset.symbol, to);
  const supply = addAmounts(asset.supply, amount, `supply of ${asset.symbol}`);
  if (asset.maxSupply !== undefined && supply > asset.maxSupply) {
    throw new ContractError(
      'limit_exceeded',
      `${asset.symbol} may not exceed ${asset.maxSupply} units; ${asset.supply} exist`,
    );
  }
  const balance = addAmounts(balanceOf(ctx, asset.symbol, to), amount, `balance of ${to}`);
  const minted = setSupply(ctx, asset, supply);
  setBalance(ctx, asset.symbol, to, balance);
  assetsEvents.emit(ctx, 'minted', { symbol: asset.symbol, to, amount, supply });
  return minted;
}

/** New units of a mintable asset to an account. */
export function credit(context: ContractContext, symbol: string, to: Address, amount: bigint): void {
  const asset = requireAsset(context, symbol);
  if (asset.policy !== 'mintable') throw new ContractError('not_allowed', `${symbol} has a fixed supply`);
  mintUnits(context, asset, to, amount);
}

/** Destroys units an account holds: supply shrinks. */
export function debit(context: ContractContext, symbol: string, from: Address, amount: bigint): void {
  const ctx = assetsContext(context);
  checkAmount(amount, 'amount');
  const asset = requireAsset(ctx, symbol);
  requireNotFrozen(ctx, symbol, from);
  const balance = requireFunds(ctx, symbol, from, amount);
  const supply = asset.supply - amount;
  setBalance(ctx, symbol, from, balance - amount);
  setSupply(ctx, asset, supply);
  assetsEvents.emit(ctx, 'burned', { symbol, from, amount, supply });
}

/**
 * Moves units from an account into the asset's locked pool (they stay in the supply). `ref` names what
 * holds them (`packet:<id>`, later `channel:<id>`); the caller keeps its own record of what it locked and
 * must unlock no more than that.
 */
export function lock(
  context: ContractContext,
  symbol: string,
  from: Address,
  amount: bigint,
  ref: string,
): void {
  const ctx = assetsContext(context);
  checkAmount(amount, 'amount');
  requireAsset(ctx, symbol);
  requireNotFrozen(ctx, symbol, from);
  const balance = requireFunds(ctx, symbol, from, amount);
  const locked = addAmounts(lockedOf(ctx, symbol), amount, `locked ${symbol}`);
  setBalance(ctx, symbol, from, balance - amount);
  setLocked(ctx, symbol, locked);
  assetsEvents.emit(ctx, 'locked', { symbol, from, amount, ref });
}

/** Pays units out of the locked pool to an account (not necessarily the one that locked them). */
export function unlock(
  context: ContractContext,
  symbol: string,
  to: Address,
  amount: bigint,
  ref: string,
): void {
  const ctx = assetsContext(context);
  checkAmount(amount, 'amount');
  requireAsset(ctx, symbol);
  requireNotFrozen(ctx, symbol, to);
  const locked = lockedOf(ctx, symbol);
  if (locked < amount)
    throw new ContractError('insufficient_funds', `only ${locked} ${symbol} are locked, ${amount} requested`);
  const balance = addAmounts(balanceOf(ctx, symbol, to), amount, `balance of ${to}`);
  setLocked(ctx, symbol, locked - amount);
  setBalance(ctx, symbol, to, balance);
  assetsEvents.emit(ctx, 'unlocked', { symbol, to, amount, ref });
}
