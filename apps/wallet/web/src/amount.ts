// What a person types as an amount → smallest units (bigint), with the reason when it cannot be sent;
// and smallest units → the plain text an input shows. Digits and bigints only, never floats.
import { AmountError, type AmountErrorCode, parseAmount } from '@gongxin/ui';

export type AmountProblem = AmountErrorCode | 'zero' | 'insufficient';

export interface AmountState {
  /** The amount in smallest units, when the text is a valid amount (possibly above `available`). */
  units: bigint | null;
  problem: AmountProblem | null;
}

/**
 * Checks an amount field: parseAmount's refusals (empty, not a number, negative, too many decimals, above
 * the chain's maximum), then zero, then more than `available` (the balance), in that order.
 */
export function amountState(text: string, decimals: number, available?: bigint | string | null): AmountState {
  let units: bigint;
  try {
    units = parseAmount(text, decimals);
  } catch (error) {
    if (error instanceof AmountError) return { units: null, problem: error.code };
    throw error;
  }
  if (units === 0n) return { units, problem: 'zero' };
  if (available !== undefined && available !== null && units > BigInt(available))
    return { units, problem: 'insufficient' };
  return { units, problem: null };
}

/** 123450n with 2 decimals → "1234.5": what an input shows for an amount (no grouping, no trailing zeros). */
export function unitsToText(units: bigint | string, decimals: number): string {
  const value = BigInt(units);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString();
  const fraction = decimals > 0 ? (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '') : '';
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
