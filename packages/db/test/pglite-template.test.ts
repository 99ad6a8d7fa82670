// New databases start from a pristine cluster kept once (pglite-template.ts): each is empty and its own,
// starts much faster than one made by initdb, and a damaged template is dropped, not fatal.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index';
import { forgetTemplateInProcess, templateFile, templateSaved } from '../src/pglite-template';

const rows = async (d: Awaited<ReturnType<typeof openDatabase>>, q: string) =>
  (await d.db.execute(sql.raw(q))) as unknown as { rows: Record<string, unknown>[] };

describe('in-memory databases from a template', () => {
  it('are each empty and separate, keep int8 as bigint, and start faster than a fresh cluster', async () => {
    const file = templateFile();
    expect(file).toBeDefined();
    const first = await openDatabase({ memory: true });
    await templateSaved();
    expect(existsSync(file!)).toBe(true);
    await first.db.execute(sql.raw('create table t (n int8)'));
    await first.db.execute(sql.raw('insert into t values (9007199254740993)'));

    const started = performance.now();
    const second = await openDatabase({ memory: true });
    const fromTemplate = performance.now() - started;
    // The template was taken before the first database was written to: the second has no table t.
    const tables = await rows(second, "select count(*) as n from pg_tables where tablename = 't'");
    expect(tables.rows[0]!['n']).toBe(0n);
    await second.db.execute(sql.raw('create table t (n int8)'));
    await second.db.execute(sql.raw('insert into t values (1)'));
    expect((await rows(first, 'select n from t')).rows).toEqual([{ n: 9007199254740993n }]);
    expect((await rows(second, 'select n from t')).rows).toEqual([{ n: 1n }]);
    await Promise.all([first.close(), second.close()]);

    // A cluster made by initdb, for comparison on the same machine in the same run.
    const { PGlite } = await import('@electric-sql/pglite');
    const fresh = performance.now();
    const made = await PGlite.create();
    await made.query('select 1');
    const byInitdb = performance.now() - fresh;
    await made.close();
    expect(fromTemplate).toBeLessThan(byInitdb);
    // Three clusters made and queried: over a minute when other suites load both cores.
  }, 240_000);

  it('drops a damaged template file and makes the database the ordinary way', async () => {
    // A template folder of its own, so processes running beside this one keep using theirs.
    const folder = mkdtempSync(join(tmpdir(), 'gongxin-template-dir-'));
    process.env['PGLITE_TEMPLATE_DIR'] = folder;
    forgetTemplateInProcess();
    try {
      const file = templateFile()!;
      expect(file.startsWith(folder)).toBe(true);
      const good = await openDatabase({ memory: true });
      await good.close();
      await templateSaved();
      expect(existsSync(file)).toBe(true);
      writeFileSync(file, 'not a tar archive');
      forgetTemplateInProcess();
      const d = await openDatabase({ memory: true });
      expect((await rows(d, 'select 1 as one')).rows).toEqual([{ one: 1 }]);
      await d.close();
      await templateSaved();
      // A new template was kept in its place.
      expect(readFileSync(file).subarray(0, 9).toString()).not.toBe('not a tar');
    } finally {
      delete process.env['PGLITE_TEMPLATE_DIR'];
      forgetTemplateInProcess();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('starts a new data directory from it, which reopens with its data; only this user can write the file', async () => {
    const file = templateFile()!;
    const warm = await openDatabase({ memory: true });
    await warm.close();
    await templateSaved();
    expect(statSync(file).mode & 0o077).toBe(0);
    const dataDir = mkdtempSync(join(tmpdir(), 'gongxin-template-'));
    try {
      const d = await openDatabase({ dataDir, name: 'app' });
      await d.db.execute(sql.raw('create table kept (n int8)'));
      await d.db.execute(sql.raw('insert into kept values (42)'));
      await d.close();
      expect(existsSync(join(dataDir, 'pglite', 'app', 'PG_VERSION'))).toBe(true);
      const again = await openDatabase({ dataDir, name: 'app' });
      expect((await rows(again, 'select n from kept')).rows).toEqual([{ n: 42n }]);
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
