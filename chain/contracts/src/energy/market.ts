// The energy market's arithmetic, pure so that anyone can re-run a slot's clearing: pay-as-clear over a
// slot's sell (ask) and buy (bid) orders, rationing of the marginal price level by the largest-remainder
// method in Wh, and the money of the trades apportioned to the fen so that what buyers pay equals what
// sellers receive plus the grid fee exactly. Prices are fen per MWh (1 fen/MWh = 0.00001 元/kWh), so
// tariffs quoted to 4 decimals of 元/kWh are exact; amounts are rounded only once, per line.

/** Wh in one MWh: a price in fen/MWh times Wh, divided by this, is fen. */
export const WH_PER_MWH = 1_000_000n;

export type Side = 'sell' | 'buy';

export interface BookOrder {
  readonly id: string;
  readonly side: Side;
  /** Offered or wanted volume, Wh. */
  readonly wh: bigint;
  /** Limit price, fen/MWh: the least a seller takes, the most a buyer pays (grid fee excluded). */
  readonly price: bigint;
  /** Placement order within the slot: earlier orders win ties of the largest-remainder method. */
  readonly seq: number;
}

export interface Fill {
  readonly id: string;
  readonly side: Side;
  readonly wh: bigint;
}

export interface Clearing {
  /** The slot's one price (fen/MWh), or null when no bid meets an ask. */
  readonly price: bigint | null;
  /** Cleared volume, Wh: Σ sellers' fills = Σ buyers' fills = volume. */
  readonly volume: bigint;
  readonly fills: readonly Fill[];
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** The smaller of two bigints (Math.min takes numbers only). */
export function minBig(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

/** The larger of two bigints. */
export function maxBig(a: bigint, b: bigint): bigint {
  if (a > b) return a;
  return b;
}

/** Fen for a volume at a price, rounded up (what a buyer's order must lock to cover it). */
export function fenCeil(wh: bigint, pricePerMWh: bigint): bigint {
  return ceilDiv(wh * pricePerMWh, WH_PER_MWH);
}

/** Fen for a volume at a price, rounded down (a slot's total: the fraction of a fen stays unpaid). */
export function fenFloor(wh: bigint, pricePerMWh: bigint): bigint {
  return (wh * pricePerMWh) / WH_PER_MWH;
}

/**
 * Splits `total` over `weights` in proportion, in whole units, by the largest-remainder (Hamilton)
 * method: each share is the floor of its quota, and the units left go one each to the largest
 * remainders, ties to the earlier index. The shares sum to `total` exactly; each lies within one unit
 * of its quota.
 */
export function largestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (total < 0n) throw new RangeError('total must not be negative');
  if (sum === 0n) {
    if (total !== 0n) throw new RangeError('cannot split a positive total over zero weights');
    return weights.map(() => 0n);
  }
  const shares = weights.map((w) => (total * w) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - shares.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return shares;
}

/** Volume offered at or below p (asks) and wanted at or above p (bids). */
function supplyAt(asks: readonly BookOrder[], p: bigint): bigint {
  let s = 0n;
  for (const a of asks) if (a.price <= p) s += a.wh;
  return s;
}
function demandAt(bids: readonly BookOrder[], p: bigint): bigint {
  let d = 0n;
  for (const b of bids) if (b.price >= p) d += b.wh;
  return d;
}

/**
 * Fills `volume` from orders in merit order (`better` first): whole price levels while they fit, and
 * the level where the volume runs out rationed pro rata by largest remainder (ties to earlier orders).
 */
function fillInMeritOrder(orders: readonly BookOrder[], volume: bigint, ascending: boolean): Fill[] {
  const sorted = [...orders].sort((a, b) =>
    a.price === b.price ? a.seq - b.seq : a.price < b.price === ascending ? -1 : 1,
  );
  const fills: Fill[] = [];
  let left = volume;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.price === sorted[i]!.price) j++;
    const level = sorted.slice(i, j);
    const levelWh = level.reduce((s, o) => s + o.wh, 0n);
    const shares =
      levelWh <= left
        ? level.map((o) => o.wh)
        : largestRemainder(
            left,
            level.map((o) => o.wh),
          );
    for (const [k, o] of level.entries())
      if (shares[k]! > 0n) fills.push({ id: o.id, side: o.side, wh: shares[k]! });
    left -= shares.reduce((s, x) => s + x, 0n);
    i = j;
  }
  return fills;
}

/**
 * Pay-as-clear: the volume is the largest that sellers offer and buyers want at one price; of the prices
 * that achieve it, the slot's price is the midpoint (rounded down) of the lowest and the highest, so it
 * lies between the best ask and the best bid and every filled order trades at its limit or better.
 */
export function clearPayAsClear(orders: readonly BookOrder[]): Clearing {
  const asks = orders.filter((o) => o.side === 'sell');
  const bids = orders.filter((o) => o.side === 'buy');
  const candidates = [...new Set(orders.map((o) => o.price))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let best = 0n;
  let lo: bigint | null = null;
  let hi: bigint | null = null;
  for (const p of candidates) {
    const s = supplyAt(asks, p);
    const d = demandAt(bids, p);
    const v = minBig(s, d);
    if (v > best) {
      best = v;
      lo = p;
      hi = p;
    } else if (v === best && v > 0n) hi = p;
  }
  if (best === 0n || lo === null || hi === null) return { price: null, volume: 0n, fills: [] };
  const price = (lo + hi) / 2n;
  const fills = [
    ...fillInMeritOrder(
      asks.filter((a) => a.price <= price),
      best,
      true,
    ),
    ...fillInMeritOrder(
      bids.filter((b) => b.price >= price),
      best,
      false,
    ),
  ];
  return { price, volume: best, fills };
}

export interface LineAmounts {
  /** Per buyer fill (in the order given): energy fen and grid-fee fen. */
  readonly buyers: readonly { readonly id: string; readonly energy: bigint; readonly fee: bigint }[];
  /** Per seller fill: energy fen received. */
  readonly sellers: readonly { readonly id: string; readonly energy: bigint }[];
  readonly energyTotal: bigint;
  readonly feeTotal: bigint;
}

/**
 * The money of a cleared slot. The slot's energy money (volume × price) and grid fee (volume × fee) are
 * each rounded down once, then apportioned over buyers and over sellers by Wh with the largest-remainder
 * method: Σ buyers' energy = Σ sellers' energy = energyTotal, Σ buyers' fee = feeTotal, to the fen.
 */
export function lineAmounts(clearing: Clearing, feePerMWh: bigint): LineAmounts {
  const price = clearing.price ?? 0n;
  const energyTotal = fenFloor(clearing.volume, price);
  const feeTotal = fenFloor(clearing.volume, feePerMWh);
  const buys = clearing.fills.filter((f) => f.side === 'buy');
  const sells = clearing.fills.filter((f) => f.side === 'sell');
  const buyEnergy = largestRemainder(
    energyTotal,
    buys.map((f) => f.wh),
  );
  const buyFee = largestRemainder(
    feeTotal,
    buys.map((f) => f.wh),
  );
  const sellEnergy = largestRemainder(
    energyTotal,
    sells.map((f) => f.wh),
  );
  return {
    buyers: buys.map((f, i) => ({ id: f.id, energy: buyEnergy[i]!, fee: buyFee[i]! })),
    sellers: sells.map((f, i) => ({ id: f.id, energy: sellEnergy[i]! })),
    energyTotal,
    feeTotal,
  };
}

/** What a buy order locks when placed: enough for its whole volume at its limit plus the grid fee. */
export function buyLock(wh: bigint, limit: bigint, feePerMWh: bigint): bigint {
  return fenCeil(wh, limit) + fenCeil(wh, feePerMWh);
}

/**
 * Ex-post settlement of one seller's slot: sold `soldWh`, delivered `deliveredWh` (anchored readings).
 * A shortfall was supplied by the grid and is charged at the imbalance price (rounded up); a surplus is
 * bought by the grid at the feed-in tariff (rounded down). `net` is what the grid owes the seller
 * (negative: what the seller owes the grid).
 */
export function deliverySettlement(
  soldWh: bigint,
  deliveredWh: bigint,
  imbalancePerMWh: bigint,
  feedInPerMWh: bigint,
): { shortfallWh: bigint; surplusWh: bigint; imbalanceFen: bigint; feedInFen: bigint; net: bigint } {
  const shortfallWh = soldWh > deliveredWh ? soldWh - deliveredWh : 0n;
  const surplusWh = deliveredWh > soldWh ? deliveredWh - soldWh : 0n;
  const imbalanceFen = fenCeil(shortfallWh, imbalancePerMWh);
  const feedInFen = fenFloor(surplusWh, feedInPerMWh);
  return { shortfallWh, surplusWh, imbalanceFen, feedInFen, net: feedInFen - imbalanceFen };
}

/** A resting order of a continuous book: what is left of it to trade. */
export interface RestingOrder {
  readonly id: string;
  readonly side: Side;
  readonly price: bigint;
  readonly seq: number;
  /** Wh not yet traded. */
  readonly open: bigint;
}

export interface Trade {
  readonly sell: string;
  readonly buy: string;
  readonly wh: bigint;
  /** The resting order's price, fen/MWh. */
  readonly price: bigint;
  /** What the buyer pays and the seller receives for the energy (wh × price, rounded down once). */
  readonly energyFen: bigint;
  /** The grid fee the buyer pays on top (wh × fee, rounded down once). */
  readonly feeFen: bigint;
}

/**
 * Continuous matching (the market's second mode beside pay-as-clear): an incoming order trades at once
 * with the resting orders of the other side that its limit reaches, best price first and, at one price,
 * the earlier order first (price-time priority); each trade is at the resting order's price, so both
 * sides trade at their limit or better. Each trade's money is rounded down once, to the fen, and paid
 * as a whole: the buyer pays exactly what the seller receives plus the trade's grid fee. What is left of
 * the incoming order rests in the book.
 */
export function matchContinuous(
  book: readonly RestingOrder[],
  incoming: { readonly id: string; readonly side: Side; readonly price: bigint; readonly wh: bigint },
  feePerMWh: bigint,
): { trades: Trade[]; left: bigint } {
  const buying = incoming.side === 'buy';
  const other = book
    .filter((o) => o.side !== incoming.side && o.open > 0n)
    .filter((o) => (buying ? o.price <= incoming.price : o.price >= incoming.price))
    .sort((a, b) => (a.price === b.price ? a.seq - b.seq : a.price < b.price === buying ? -1 : 1));
  const trades: Trade[] = [];
  let left = incoming.wh;
  for (const o of other) {
    if (left === 0n) break;
    const wh = minBig(left, o.open);
    trades.push({
      sell: buying ? o.id : incoming.id,
      buy: buying ? incoming.id : o.id,
      wh,
      price: o.price,
      energyFen: fenFloor(wh, o.price),
      feeFen: fenFloor(wh, feePerMWh),
    });
    left -= wh;
  }
  return { trades, left };
}
