// The genesis document as a JSON file operators exchange (`gongxin init` writes it; every node of a
// network starts from the same one). Bytes are hex, integers that may exceed 2^53 are decimal strings.
// Parsing is strict: a genesis file with a wrong field is refused with the field's name.
import {
  fromHex,
  type GenesisDocument,
  isAddress,
  SUITE_IDS,
  toHex,
  toJsonValue,
  type Value,
} from '@gongxin/ledger';
import { z } from 'zod';

export const genesisJsonSchema = z
  .object({
    chainId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'chain id: lowercase letters, digits and -'),
    suite: z.enum(SUITE_IDS as ['ed25519-sha256', 'sm2-sm3']),
    time: z.string().datetime({ offset: true }).or(z.number().int().positive()),
    validators: z
      .array(
        z
          .object({
            key: z.string().regex(/^[0-9a-f]{64,66}$/, 'validator key: 32 or 33 bytes as hex'),
            power: z.number().int().positive(),
            name: z.string().min(1).max(64),
            operator: z.string().refine(isAddress, 'operator must be a gx1… address'),
          })
          .strict(),
      )
      .min(1),
    contracts: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type GenesisJson = z.input<typeof genesisJsonSchema>;

/**
 * Contract sections are JSON; the ledger's values admit bigints and bytes. Amounts in genesis sections
 * are written as decimal strings and converted by each contract's own genesis schema, so they pass
 * through unchanged here; nested JSON numbers must be safe integers.
 */
function jsonToValue(j: unknown, where: string): Value {
  if (j === null || typeof j === 'boolean' || typeof j === 'string') return j;
  if (typeof j === 'number') {
    if (!Number.isSafeInteger(j))
      throw new Error(`${where}: numbers must be integers (write large amounts as strings)`);
    return j;
  }
  if (Array.isArray(j)) return j.map((x, i) => jsonToValue(x, `${where}[${i}]`));
  if (typeof j === 'object') {
    return Object.fromEntries(
      Object.entries(j as object).map(([k, v]) => [k, jsonToValue(v, `${where}.${k}`)]),
    );
  }
  throw new Error(`${where}: unsupported JSON value`);
}

export function parseGenesisJson(input: unknown): GenesisDocument {
  const parsed = genesisJsonSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`genesis: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const g = parsed.data;
  return {
    chainId: g.chainId,
    suite: g.suite,
    time: typeof g.time === 'number' ? g.time : Date.parse(g.time),
    validators: g.validators.map((v) => ({
      key: fromHex(v.key),
      power: v.power,
      name: v.name,
      operator: v.operator,
    })),
    contracts: Object.fromEntries(
      Object.entries(g.contracts).map(([k, v]) => [k, jsonToValue(v, `contracts.${k}`)]),
    ),
  };
}

export function genesisToJson(doc: GenesisDocument): GenesisJson {
  return {
    chainId: doc.chainId,
    suite: doc.suite,
    time: new Date(doc.time).toISOString(),
    validators: doc.validators.map((v) => ({
      key: toHex(v.key),
      power: v.power,
      name: v.name,
      operator: v.operator,
    })),
    contracts: toJsonValue((doc.contracts ?? {}) as Value) as Record<string, unknown>,
  };
}
