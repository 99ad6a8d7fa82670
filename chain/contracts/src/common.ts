// Building blocks every core contract shares: parameter schemas, amount arithmetic that refuses to
// overflow, ids for records an action creates, and genesis parsing. Nothing here may read a clock,
// draw randomness or touch state on its own: it only checks and converts values handed to it.
import { asBigInt, type ContractContext, ContractError, isAddress, toHex, type Value } from '@gongxin/ledger';
import { z } from 'zod';

/** Largest amount, supply or balance: PostgreSQL's bigint, so every indexer can store it exactly. */
export const MAX_AMOUNT = 2n ** 63n - 1n;

// Integers arrive as number when they are safe and as bigint beyond 2^53 (see the ledger's encoding):
// both are accepted and every amount is handled as bigint from here on. In txs an amount is an integer,
// never text, so one action has one encoding.
const zInteger = z.union([z.number().int(), z.bigint()]).transform((v) => BigInt(v));

/**
 * Genesis files are JSON, where amounts beyond 2^53 can only be written as decimal strings: genesis
 * sections accept those too (exactly; never a float such as "1.5" or "1e3").
 */
export const zGenesisInteger = z
  .union([
    z.number().int(),
    z.bigint(),
    z.string().regex(/^-?(0|[1-9][0-9]{0,39})$/, 'an integer in decimal digits'),
  ])
  .transform((v) => BigInt(v));

/**
 * A positive amount in the smallest unit. The upper bound is deliberately not part of the schema: a
 * schema failure is `invalid_params`, and an amount beyond MAX_AMOUNT must fail as `overflow`, so code
 * that uses an amount passes it through `checkAmount` (every assets library function does).
 */
export const zAmount = zInteger.refine((v) => v >= 1n, 'an amount must be at least 1 (in the smallest unit)');

/** Like zAmount but zero is allowed (an initial supply). */
export const zSupply = zInteger.refine((v) => v >= 0n, 'must not be negative');

/** Fails with `overflow` when an amount cannot be stored; returns it for chaining. */
export function checkAmount(amount: bigint, what: string): bigint {
  if (amount > MAX_AMOUNT) {
    throw new ContractError(
      'overflow',
      `${what} ${amount} exceeds the largest amount the chain can hold (${MAX_AMOUNT})`,
    );
  }
  return amount;
}

/** a + b, failing with `overflow` when the sum could not be stored. */
export function addAmounts(a: bigint, b: bigint, what: string): bigint {
  return checkAmount(a + b, what);
}

/** Amounts read back from state: bigint as written, or number once a node reloaded small ones. */
export function amountOf(value: Value | undefined): bigint {
  return asBigInt(value) ?? 0n;
}

export const zAddress = z.string().refine(isAddress, 'must be a gx1… address in lowercase');

const hex64 = /^[0-9a-fA-F]{64}$/;

/** A 32-byte hash, given as bytes or as 64 hex digits; always handled as lowercase hex. */
export const zHash32 = z.union([
  z
    .instanceof(Uint8Array)
    .refine((b) => b.length === 32, 'a hash is 32 bytes')
    .transform((b) => toHex(b)),
  z
    .string()
    .regex(hex64, 'a hash is 32 bytes or 64 hex digits')
    .transform((s) => s.toLowerCase()),
]);

/** Bytes of any length; the action checks the length the chain's crypto suite needs. */
export const zBytes = z.instanceof(Uint8Array);

// No control characters: these texts end up on screens and in logs.
const printable = /^[^\p{Cc}]*$/u;

/** Human-readable text of 1..max characters. */
export function zText(max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .regex(printable, 'no control characters');
}

export const zName = zText(64);
export const zReason = zText(256);
export const zMemo = zText(256);

/** Lowercase identifiers of apps, roles and authority scopes. */
export const zSlug = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be 1–32 of a-z, 0-9, _ and -, starting with a letter');

/** An asset symbol: other contracts (welfare, energy) name assets in their params too. */
export const zSymbol = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,11}$/, 'a symbol is 2–12 of A-Z and 0-9, starting with a letter');

export const MAX_ATTRIBUTES = 16;

/** A small map of short facts (attestation facts, notarised document metadata). */
export const zAttributes = z
  .record(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,31}$/, 'attribute names are 1–32 letters, digits, _ . -'),
    z.union([
      z.string().max(128, 'attribute values are at most 128 characters').regex(printable),
      z.number().int(),
    ]),
  )
  .refine((m) => Object.keys(m).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`);

/**
 * The id of a record an action creates (a proposal, a red packet): the tx id, suffixed with the action's
 * index after the first so a tx may create several. Known to the sender before the tx is sent.
 */
export function actionId(ctx: ContractContext): string {
  return ctx.actionIndex === 0 ? ctx.txIdHex : `${ctx.txIdHex}:${ctx.actionIndex}`;
}

/** Parse a contract's genesis section; a bad genesis document must stop the chain from starting. */
export function parseGenesis<S extends z.ZodType>(contract: string, schema: S, section: Value): z.output<S> {
  const parsed = schema.safeParse(section);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'section'}: ${i.message}`)
      .join('; ');
    throw new Error(`genesis section "${contract}" is invalid: ${issues}`);
  }
  return parsed.data;
}
