// The GS1 Core Business Vocabulary terms the food app checks and reads: business steps, dispositions,
// business transaction types, source/destination types, error reasons and sensor vocabularies. The lists
// come from the vendored EPCIS 2.0 JSON Schema (one source: GS1's), and each term has three spellings that
// mean the same thing: bare (`shipping`), CBV 2.0 Web URI (`https://ref.gs1.org/cbv/BizStep-shipping`) and
// CBV 1.x URN (`urn:epcglobal:cbv:bizstep:shipping`); `cbvTerm` reads any of them.
import { readFileSync } from 'node:fs';

type SchemaNode = { [key: string]: unknown };

let schema: SchemaNode | undefined;

/** The vendored GS1 schema (src/standards/epcis-json-schema.json), read once. */
export function epcisSchema(): SchemaNode {
  schema ??= JSON.parse(
    readFileSync(new URL('../standards/epcis-json-schema.json', import.meta.url), 'utf8'),
  );
  return schema!;
}

function enumOf(definition: string): readonly string[] {
  const definitions = epcisSchema().definitions as Record<string, { anyOf: { enum?: string[] }[] }>;
  const values = definitions[definition]?.anyOf.find((branch) => Array.isArray(branch.enum))?.enum;
  if (!values) throw new Error(`the vendored EPCIS schema has no enumeration for ${definition}`);
  return values;
}

export interface Vocabulary {
  /** What a person calls it, for messages. */
  readonly label: string;
  readonly terms: ReadonlySet<string>;
  /** CBV 2.0 Web URI prefix of a term. */
  readonly webPrefix: string;
  /** CBV 1.x URN prefix of a term, where CBV 1.x had one. */
  readonly urnPrefix?: string;
}

const CBV = 'https://ref.gs1.org/cbv/';

function vocabulary(label: string, definition: string, webPrefix: string, urnPrefix?: string): Vocabulary {
  return { label, terms: new Set(enumOf(definition)), webPrefix, ...(urnPrefix && { urnPrefix }) };
}

let cached: ReturnType<typeof build> | undefined;

function build() {
  return {
    bizStep: vocabulary('business step (bizStep)', 'bizStep', `${CBV}BizStep-`, 'urn:epcglobal:cbv:bizstep:'),
    disposition: vocabulary('disposition', 'disposition', `${CBV}Disp-`, 'urn:epcglobal:cbv:disp:'),
    bizTransactionType: vocabulary(
      'business transaction type',
      'bizTransaction-type',
      `${CBV}BTT-`,
      'urn:epcglobal:cbv:btt:',
    ),
    sourceDestType: vocabulary(
      'source/destination type',
      'source-dest-type',
      `${CBV}SDT-`,
      'urn:epcglobal:cbv:sdt:',
    ),
    errorReason: vocabulary('error reason', 'error-reason', `${CBV}ER-`, 'urn:epcglobal:cbv:er:'),
    measurementType: vocabulary('sensor measurement type', 'measurementType', 'https://gs1.org/voc/'),
    sensorAlertType: vocabulary('sensor alert type', 'sensorAlertType', 'https://gs1.org/voc/'),
    component: vocabulary('sensor component', 'component', `${CBV}Comp-`),
  };
}

/** The vocabularies, keyed by what they type. */
export function cbv(): ReturnType<typeof build> {
  cached ??= build();
  return cached;
}

export type VocabularyName = keyof ReturnType<typeof build>;

/**
 * The bare term of a standard value in any of its spellings (also `cbv:`/`gs1:` CURIEs and the older
 * `https://gs1.org/voc/` and new `https://ref.gs1.org/voc/` homes of GS1 Web Vocabulary terms), or
 * undefined when the value is not written as a term of this vocabulary. Whether the term exists is a
 * separate question: see `isCbvTerm`.
 */
export function cbvTerm(value: string, vocabularyName: VocabularyName): string | undefined {
  const v = cbv()[vocabularyName];
  if (!value.includes(':')) return value;
  const curiePrefix = v.webPrefix.startsWith(CBV) ? `cbv:${v.webPrefix.slice(CBV.length)}` : 'gs1:';
  const spellings = [v.webPrefix, curiePrefix, v.urnPrefix];
  if (v.webPrefix === 'https://gs1.org/voc/') spellings.push('https://ref.gs1.org/voc/');
  for (const prefix of spellings) {
    if (prefix && value.startsWith(prefix)) return value.slice(prefix.length);
  }
  return undefined;
}

export function isCbvTerm(term: string, vocabularyName: VocabularyName): boolean {
  return cbv()[vocabularyName].terms.has(term);
}

/** `shipping` for any spelling of CBV bizStep shipping; undefined for user vocabulary. */
export function bizStepOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const term = cbvTerm(value, 'bizStep');
  return term !== undefined && isCbvTerm(term, 'bizStep') ? term : undefined;
}

/** `in_transit` for any spelling of CBV disposition in_transit; undefined for user vocabulary. */
export function dispositionOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const term = cbvTerm(value, 'disposition');
  return term !== undefined && isCbvTerm(term, 'disposition') ? term : undefined;
}
