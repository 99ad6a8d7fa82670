// The send form's rules, apart from the page so they can be tested alone: a recipient address with a
// valid checksum (bech32m, canonical lower case) that is not the sender, an asset the sender holds and
// that is not frozen, an amount in that asset's decimals within the balance, an optional memo the
// contract accepts. And a pasted or scanned payment request filled into the form.
import { isAddress, type PaymentRequest, parsePaymentUri } from '@gongxin/wallet-server/shared';
import { type AmountProblem, amountState, unitsToText } from './amount';

export interface HeldAsset {
  symbol: string;
  decimals: number;
  /** Smallest units. */
  amount: string;
  frozen: boolean;
}

export interface SendFormValues {
  to: string;
  symbol: string;
  /** As typed, e.g. "1,234.50". */
  amount: string;
  memo: string;
}

export type ToProblem = 'required' | 'bad_address' | 'self';
export type SymbolProblem = 'required' | 'not_held' | 'frozen';
export type MemoProblem = 'too_long' | 'control_characters';

export interface SendFormProblems {
  to?: ToProblem;
  symbol?: SymbolProblem;
  amount?: AmountProblem;
  memo?: MemoProblem;
}

export interface ValidSend {
  to: string;
  symbol: string;
  decimals: number;
  amount: bigint;
  memo?: string;
}

export type SendCheck =
  | { ok: true; value: ValidSend; problems: SendFormProblems }
  | { ok: false; problems: SendFormProblems };

/** An address as typed: trimmed; an all-upper-case bech32 string is the same address in lower case. */
export function normalizeAddress(text: string): string {
  const trimmed = text.trim();
  return trimmed === trimmed.toUpperCase() ? trimmed.toLowerCase() : trimmed;
}

export function checkAddress(text: string, self?: string | null): ToProblem | null {
  const address = normalizeAddress(text);
  if (address === '') return 'required';
  if (!isAddress(address)) return 'bad_address';
  if (self && address === self) return 'self';
  return null;
}

export function checkMemo(memo: string): MemoProblem | null {
  if ([...memo].length > 256) return 'too_long';
  if (/\p{Cc}/u.test(memo)) return 'control_characters';
  return null;
}

export function validateSend(
  values: SendFormValues,
  held: readonly HeldAsset[],
  self?: string | null,
): SendCheck {
  const problems: SendFormProblems = {};
  const to = checkAddress(values.to, self);
  if (to) problems.to = to;
  const asset = held.find((a) => a.symbol === values.symbol);
  if (!values.symbol) problems.symbol = 'required';
  else if (!asset) problems.symbol = 'not_held';
  else if (asset.frozen) problems.symbol = 'frozen';
  let amount: bigint | null = null;
  if (asset) {
    const state = amountState(values.amount, asset.decimals, asset.amount);
    if (state.problem) problems.amount = state.problem;
    else amount = state.units;
  }
  const memo = values.memo.trim();
  const memoProblem = checkMemo(memo);
  if (memoProblem) problems.memo = memoProblem;
  if (Object.keys(problems).length > 0 || !asset || amount === null) return { ok: false, problems };
  return {
    ok: true,
    problems,
    value: {
      to: normalizeAddress(values.to),
      symbol: asset.symbol,
      decimals: asset.decimals,
      amount,
      ...(memo !== '' && { memo }),
    },
  };
}

/**
 * A payment request (pasted or scanned) as form values. The amount arrives in smallest units and is shown
 * in the asset's decimals; a request for an asset the person does not hold keeps its symbol (the form
 * then says it is not held) and its amount is left for them to type.
 */
export function formFromRequest(
  text: string,
  held: readonly HeldAsset[],
  current: SendFormValues,
): SendFormValues {
  const request: PaymentRequest = parsePaymentUri(text);
  const asset = request.asset ? held.find((a) => a.symbol === request.asset) : undefined;
  return {
    to: request.to,
    symbol: request.asset ?? current.symbol,
    amount:
      request.amount !== undefined && asset ? unitsToText(request.amount, asset.decimals) : current.amount,
    memo: request.memo ?? current.memo,
  };
}
