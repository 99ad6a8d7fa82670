// The operator's commands on the chain of `npm start`: one documented command verifies it, a checkpoint
// catches a cut tip, and a truncated export is refused with what is missing.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSuiteRegistry } from '@gongxin/contracts';
import { openDatabase } from '@gongxin/db';
import { signedTx } from '@gongxin/ledger/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli';
import { startEmbeddedChain } from '../src/embedded';
import { quietLogger, suite, users } from './helpers';

const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-cli-'));
const chainDir = path.join(dataDir, 'chain');
let head = 0;

/** Run the CLI in-process, capturing what it prints. */
async function gongxin(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    const code = await main(args);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

beforeAll(async () => {
  // The suite's way: the database under DATA_DIR (PGlite `gongxin`), the chain's key and genesis in DATA_DIR/chain.
  const database = await openDatabase({ dataDir, logger: quietLogger });
  const chain = await startEmbeddedChain({
    database,
    dataDir,
    suite,
    contracts: createSuiteRegistry(),
    logger: quietLogger,
    blockLimits: { commitDelayMs: 5, maxTxs: 1 },
  });
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) {
    const hash = Buffer.from(suite.hash(new Uint8Array([i]))).toString('hex');
    const tx = signedTx(suite, chain.genesis.chainId, users[0]!, i, [
      { contract: 'notary', name: 'anchor', params: { hash, type: 'test' } },
    ]);
    ids.push(chain.node.submit(tx).id);
  }
  await Promise.all(ids.map((id) => chain.node.waitForTx(id, 30_000)));
  head = chain.node.head.height;
  await chain.node.stop();
  await database.close();
}, 120_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A node folder with the embedded chain's genesis and a PGlite database of its own, to import into. */
function importTarget(name: string): string {
  const dir = path.join(dataDir, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(chainDir, 'genesis.json'), path.join(dir, 'genesis.json'));
  const config = {
    name,
    genesis: 'genesis.json',
    p2p: { host: '127.0.0.1', port: 0 },
    api: { host: '127.0.0.1', port: 0 },
    peers: [],
  };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

/** The byte offsets where each record of an export ends (record 0 is the header). */
function recordEnds(bytes: Buffer): number[] {
  const ends: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    at += 4 + bytes.readUInt32BE(at);
    ends.push(at);
  }
  return ends;
}

describe('export and import', () => {
  const file = path.join(dataDir, 'chain.export');

  it('refuses a truncated export whole, saying which blocks are missing, and imports a whole one', async () => {
    const exported = await gongxin('export', '--home', chainDir, '--out', file);
    expect(exported.out).toContain(`exported blocks 1–${head}`);
    expect(readdirSync(dataDir).filter((f) => f.includes('.partial'))).toEqual([]);
    const bytes = readFileSync(file);
    const ends = recordEnds(bytes);
    expect(ends).toHaveLength(head + 1);
    // Cut cleanly after block 5: the header still says `head`.
    const cut = path.join(dataDir, 'cut.export');
    writeFileSync(cut, bytes.subarray(0, ends[5]));
    const target = importTarget('imported');
    await expect(gongxin('import', '--home', target, '--in', cut)).rejects.toThrow(
      `the export's header names blocks 1–${head}, but the file ends after block 5: blocks 6–${head} are missing (the file was cut short); nothing was imported`,
    );
    // Cut in the middle of a record.
    writeFileSync(cut, bytes.subarray(0, ends[5]! + 7));
    await expect(gongxin('import', '--home', target, '--in', cut)).rejects.toThrow(/cut short/);
    // Nothing of either was applied.
    const database = await openDatabase({ dataDir: target, name: 'imported', logger: quietLogger });
    const [row] = (await database
      .query(sql`select count(*)::int as n from chain.blocks`)
      .catch(() => [{ n: 0 }])) as { n: number }[];
    await database.close();
    expect(Number(row?.n ?? 0)).toBe(0);

    const whole = await gongxin('import', '--home', target, '--in', file);
    expect(whole.out).toContain(`the export holds blocks 1–${head} whole; importing`);
    expect(whole.out).toContain(`imported ${head} blocks; head is now height ${head}`);
    expect((await gongxin('verify', '--home', target)).code).toBe(0);
  }, 120_000);

  it('kill -9 during export leaves no file that looks whole; during import, only whole blocks that verify and a resumable import', async () => {
    // Export: killed as soon as it starts writing.
    const killedFile = path.join(dataDir, 'killed.export');
    const exporting = spawn(process.execPath, [bin, 'export', '--home', chainDir, '--out', killedFile], {
      stdio: 'ignore',
    });
    const partialSeen = await killWhen(exporting, () =>
      readdirSync(dataDir).some((f) => f.startsWith('killed.export.partial')),
    );
    expect(existsSync(killedFile)).toBe(false);
    console.log(
      `export killed ${partialSeen ? 'while writing its temporary file' : 'before it began writing'}`,
    );

    // Import: killed once it has stored its first blocks, in the middle of the rest.
    const target = importTarget('killed-import');
    const importing = spawn(process.execPath, [bin, 'import', '--home', target, '--in', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    const collect = (d: Buffer) => {
      printed += String(d);
    };
    importing.stdout?.on('data', collect);
    importing.stderr?.on('data', collect);
    await killWhen(importing, () => printed.includes('imported up to height'));
    const database = await openDatabase({ dataDir: target, name: 'killed-import', logger: quietLogger });
    const rows = (await database.query(
      sql`select count(*)::int as n, coalesce(max(height), 0)::int as top from chain.blocks`,
    )) as { n: number; top: number }[];
    await database.close();
    const { n, top } = rows[0]!;
    console.log(`import killed with ${n} of ${head} blocks stored`);
    expect(Number(n)).toBeGreaterThanOrEqual(10);
    expect(Number(n)).toBe(Number(top)); // whole blocks from 1, no gap
    // What is there verifies, and the same import finishes the job.
    if (Number(n) > 0) expect((await gongxin('verify', '--home', target)).code).toBe(0);
    const resumed = await gongxin('import', '--home', target, '--in', file);
    expect(resumed.out).toContain(`head is now height ${head}`);
    expect((await gongxin('verify', '--home', target)).code).toBe(0);
  }, 180_000);
});

describe('the embedded chain with the CLI', () => {
  it('verifies with one command, `gongxin verify --home DATA_DIR/chain`, also in a folder made before its config', async () => {
    expect(JSON.parse(readFileSync(path.join(chainDir, 'config.json'), 'utf8'))).toMatchObject({
      embedded: true,
      database: { dataDir: '..', name: 'gongxin' },
    });
    const verified = await gongxin('verify', '--home', chainDir);
    expect(verified.out).toMatch(new RegExp(`verified: ${head} blocks`));
    expect(verified.code).toBe(0);
    // A folder from before `npm start` wrote config.json: key and genesis are enough.
    const config = readFileSync(path.join(chainDir, 'config.json'));
    unlinkSync(path.join(chainDir, 'config.json'));
    try {
      expect((await gongxin('verify', '--home', chainDir)).code).toBe(0);
    } finally {
      writeFileSync(path.join(chainDir, 'config.json'), config);
    }
    // It is no node of its own.
    await expect(gongxin('node', 'start', '--home', chainDir)).rejects.toThrow(/embedded chain/);
  }, 60_000);

  it('writes a checkpoint, and a tip cut after it is named with the blocks missing', async () => {
    const file = path.join(dataDir, 'checkpoint.json');
    const written = await gongxin('checkpoint', '--home', chainDir, '--out', file);
    expect(written.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect((await gongxin('verify', '--home', chainDir, '--checkpoint', file)).out).toContain(
      `tip checked against the checkpoint at height ${head}`,
    );
    // Cut the tip: the last two blocks with everything they stored.
    const database = await openDatabase({ dataDir, logger: quietLogger });
    for (const table of ['blocks', 'txs', 'events'])
      await database.execute(sql.raw(`delete from chain.${table} where height > ${head - 2}`));
    await database.close();
    const cut = await gongxin('verify', '--home', chainDir, '--checkpoint', file);
    expect(cut.code).toBe(2);
    expect(cut.out).toContain(
      `blocks ${head - 1}–${head} are missing: the validators signed block ${head} (checkpoint), this database ends at ${head - 2}`,
    );
  }, 60_000);
});

const bin = fileURLToPath(new URL('../bin/gongxin.mjs', import.meta.url));

/** SIGKILL a child once `ready()` holds (or `afterMs` later); answers whether it held before the child ended. */
async function killWhen(child: ChildProcess, ready: () => boolean, afterMs = 0): Promise<boolean> {
  const ended = new Promise((resolve) => child.once('exit', resolve));
  let held = false;
  const until = Date.now() + 60_000;
  while (child.exitCode === null && child.signalCode === null && Date.now() < until) {
    if (ready()) {
      held = true;
      if (afterMs) await new Promise((r) => setTimeout(r, afterMs));
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  await ended;
  return held;
}
