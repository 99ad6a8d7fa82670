// Runs the ISCC conformance vectors (iscc-core's data.json) through this implementation and reports
// every case with what was expected and what came out. Shared by the Node test and the page the browser
// test loads, so both run exactly the same cases.
import { hexToBytes } from '@noble/hashes/utils.js';
import { dataCode, imageCode, instanceCode, textCode } from '../src/index';

export interface CaseResult {
  section: string;
  name: string;
  expected: Record<string, unknown>;
  actual: Record<string, unknown>;
}

type Vectors = Record<string, Record<string, { inputs: unknown[]; outputs: Record<string, unknown> }>>;

export const SECTIONS = [
  'gen_text_code_v0',
  'gen_image_code_v0',
  'gen_data_code_v0',
  'gen_instance_code_v0',
] as const;

function streamBytes(input: unknown): Uint8Array {
  const text = String(input);
  if (!text.startsWith('stream:'))
    throw new Error(`a stream input starts with "stream:", got ${text.slice(0, 20)}`);
  return hexToBytes(text.slice('stream:'.length));
}

export async function runConformance(vectors: Vectors): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const section of SECTIONS) {
    for (const [name, { inputs, outputs }] of Object.entries(vectors[section] ?? {})) {
      let actual: Record<string, unknown>;
      if (section === 'gen_text_code_v0') {
        const { iscc, characters } = await textCode(inputs[0] as string, inputs[1] as number);
        actual = { iscc, characters };
      } else if (section === 'gen_image_code_v0') {
        actual = { iscc: imageCode(inputs[0] as number[], inputs[1] as number).iscc };
      } else if (section === 'gen_data_code_v0') {
        actual = { iscc: (await dataCode(streamBytes(inputs[0]), inputs[1] as number)).iscc };
      } else {
        const { iscc, datahash, filesize } = await instanceCode(streamBytes(inputs[0]), inputs[1] as number);
        actual = { iscc, datahash, filesize };
      }
      results.push({ section, name, expected: outputs, actual });
    }
  }
  return results;
}
