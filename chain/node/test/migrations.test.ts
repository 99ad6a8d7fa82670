// A database made by an earlier release keeps its data through the chain schema's later migrations.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appMigrations, queryRows } from '@gongxin/db';
import { testBackends } from '@gongxin/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { eventJson } from '../src/api/service';
import { ChainStore } from '../src/storage/store';

const folder = fileURLToPath(new URL('../drizzle', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'gongxin-migrations-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The migrations folder as the release that had only the first `count` migrations shipped it. */
function firstMigrations(count: number): string {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8'));
  const entries = journal.entries.slice(0, count);
  const out = path.join(scratch, `first-${count}`);
  mkdirSync(path.join(out, 'meta'), { recursive: true });
  for (const e of entries) cpSync(path.join(folder, `${e.tag}.sql`), path.join(out, `${e.tag}.sql`));
  writeFileSync(path.join(out, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return out;
}

describe.each(testBackends())('chain schema migrations on $name', ({ open }) => {
  it('turn stored event attributes from jsonb into JSON text without losing one, and drop the unused tx-hash index', async () => {
    const database = await open();
    try {
      await database.migrate(appMigrations('chain', firstMigrations(1)));
      const attrs = { symbol: 'CNY', from: 'gx1a', amount: '12345678901234567890', memo: '共信 "q"' };
      await database.execute(sql`insert into chain.events (height, index, tx_index, tx_hash, contract, name, attrs, bytes)
        values (1, 0, 0, ${new Uint8Array(32).fill(1)}, 'assets', 'transferred', ${JSON.stringify(attrs)}::jsonb, ${new Uint8Array([0xa0])})`);
      const indexes = async () =>
        (
          await queryRows<{ indexname: string }>(
            database.db,
            sql`select indexname from pg_indexes where schemaname = 'chain' and tablename = 'events'`,
          )
        ).map((r) => r.indexname);
      expect(await indexes()).toContain('events_tx');

      await new ChainStore(database).migrate();
      const [row] = await queryRows<{
        height: number;
        index: number;
        tx_index: number;
        tx_hash: Uint8Array;
        contract: string;
        name: string;
        attrs: unknown;
        bytes: Uint8Array;
      }>(database.db, sql`select * from chain.events`);
      expect(typeof row!.attrs).toBe('string');
      const json = eventJson({
        height: Number(row!.height),
        index: row!.index,
        txIndex: row!.tx_index,
        txHash: row!.tx_hash,
        contract: row!.contract,
        name: row!.name,
        attrs: row!.attrs as string,
        bytes: row!.bytes,
      });
      expect(json.attrs).toEqual(attrs);
      expect(await indexes()).not.toContain('events_tx');
    } finally {
      await database.close();
    }
  });

  it('store consensus log records out of line and uncompressed, keeping the records already written', async () => {
    const database = await open();
    try {
      await database.migrate(appMigrations('chain', firstMigrations(2)));
      const storage = async () =>
        (
          await queryRows<{ attstorage: string }>(
            database.db,
            sql`select attstorage from pg_attribute where attrelid = 'chain.wal'::regclass and attname = 'record'`,
          )
        )[0]!.attstorage;
      // 'x': extended, compressed when large.
      expect(await storage()).toBe('x');
      const store = new ChainStore(database);
      const record = {
        type: 'signed',
        height: 7,
        round: 0,
        kind: 'precommit',
        hash: 'ab'.repeat(32),
      } as const;
      await store.appendWal(record);
      await store.migrate();
      // 'e': external, out of line and never compressed.
      expect(await storage()).toBe('e');
      expect(await store.walFor(7)).toEqual([record]);
    } finally {
      await database.close();
    }
  });
});
