// `gongxin receipt verify <receipt.json> <file> [--trust validators.json]`: checks a proof-of-existence
// receipt against a file with no node and no network (see ledger/src/receipt.ts). Exit 0 when the file's
// SHA-256 was anchored in a block signed by more than two thirds of the validators; 1 with the failed check
// and its reason otherwise; 2 for a usage error.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fromHex, type TrustedValidatorSet, verifyReceiptWith } from '@gongxin/ledger';
import { getSuite, sha256 } from '@gongxin/ledger/crypto/node';

export const receiptUsage = `gongxin receipt verify <receipt.json> <file> [--trust FILE]

  Verifies offline that <file> was anchored on the chain, as <receipt.json> says.
  --trust FILE  the validator set to trust: a genesis.json, or the node API's /v1/validators answer
                (without it the receipt's own validator set is checked, not who those validators are)
`;

interface Output {
  log(line: string): void;
  error(line: string): void;
}

function readTrusted(file: string): TrustedValidatorSet {
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    chainId?: unknown;
    suite?: unknown;
    validators?: { key: string; power: number; name: string; operator: string }[];
  };
  if (typeof json.chainId !== 'string' || typeof json.suite !== 'string' || !Array.isArray(json.validators))
    throw new Error(`${file}: a validator set needs chainId, suite and validators`);
  return {
    chainId: json.chainId,
    suite: json.suite as TrustedValidatorSet['suite'],
    validators: json.validators.map((v) => ({
      key: fromHex(v.key),
      power: v.power,
      name: v.name,
      operator: v.operator as TrustedValidatorSet['validators'][number]['operator'],
    })),
  };
}

export function receiptCommand(argv: string[], out: Output = console): number {
  let positionals: string[];
  let trustFile: string | undefined;
  try {
    const parsed = parseArgs({
      args: argv,
      options: { trust: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    positionals = parsed.positionals;
    trustFile = parsed.values.trust;
  } catch (error) {
    out.error(`${(error as Error).message}\n\n${receiptUsage}`);
    return 2;
  }
  const [sub, receiptFile, file, ...rest] = positionals;
  if (sub !== 'verify' || !receiptFile || !file || rest.length > 0) {
    out.error(receiptUsage);
    return 2;
  }
  let receipt: string;
  let bytes: Uint8Array;
  let trusted: TrustedValidatorSet | undefined;
  try {
    receipt = readFileSync(receiptFile, 'utf8');
    bytes = readFileSync(file);
    trusted = trustFile ? readTrusted(trustFile) : undefined;
  } catch (error) {
    out.error(`gongxin: ${(error as Error).message}`);
    return 2;
  }
  const result = verifyReceiptWith({ getSuite, sha256 }, { receipt, file: bytes, trusted });
  if (!result.ok) {
    out.error(`NOT VERIFIED  ${result.failed}`);
    return 1;
  }
  out.log(`VERIFIED  ${file}`);
  out.log(`  sha256     ${result.sha256}`);
  out.log(`  chain      ${result.chainId}`);
  out.log(`  tx         ${result.txId}`);
  out.log(`  block      ${result.height}  ${result.blockHash}`);
  out.log(`  time       ${new Date(result.time).toISOString()}  (the block's time)`);
  out.log(
    `  signed by  ${result.signers.map((s) => s.name).join(', ')}  (${result.power} of ${result.totalPower} voting power)`,
  );
  if (!trusted)
    out.log("  trust      the receipt's own validator set; pin the chain's with --trust genesis.json");
  return 0;
}
