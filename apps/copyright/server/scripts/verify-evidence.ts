// Verifies an evidence bundle offline: `npm run verify-evidence -w @gongxin/copyright-server -- <dir>
// [validators.json]`. The directory holds the captured files and receipt.json; a validator set given as a
// second argument (the node API's ValidatorSetJson) is trusted instead of the receipt's own. Prints each
// check and exits 0 when everything verifies, 1 naming what failed, 2 for bad usage.
import { readFile } from 'node:fs/promises';
import { readBundle } from '../src/evidence/files';
import { type ReceiptValidators, verifyEvidence } from '../src/evidence/verify';

const [dir, validatorsFile] = process.argv.slice(2);
if (!dir) {
  console.error('usage: verify-evidence <bundle directory> [trusted validators.json]');
  process.exit(2);
}
let bundle: Awaited<ReturnType<typeof readBundle>>;
try {
  bundle = await readBundle(dir);
} catch (error) {
  console.error(`cannot read the bundle in ${dir}: ${(error as Error).message}`);
  process.exit(2);
}
const trusted = validatorsFile
  ? (JSON.parse(await readFile(validatorsFile, 'utf8')) as ReceiptValidators)
  : undefined;
const verdict = verifyEvidence(bundle.receipt, bundle.files, trusted ? { trusted } : {});
for (const step of verdict.steps)
  console.log(`${step.ok ? 'ok  ' : 'FAIL'} ${step.check}${step.detail ? `: ${step.detail}` : ''}`);
for (const name of verdict.bundle.extra)
  console.log(`note ${name}: not in the manifest, not covered by the anchor`);
console.log(verdict.summary);
process.exit(verdict.ok ? 0 : 1);
