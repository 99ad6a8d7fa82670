// The shared contract: every behaviour here must hold on PGlite and, when TEST_DATABASE_URL is set,
// on real PostgreSQL - the same assertions, not per-driver variants (except where noted why).
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, isUniqueViolation, queryRows, sqlStateOf } from '../src/index';
import { testBackends } from '../src/testing';
import { fixtureMigrations } from './fixture/migrations';
import { accounts, ledgerEntries } from './fixture/schema';

const MAX_INT8 = 2n ** 63n - 1n;
const MIN_INT8 = -(2n ** 63n);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testBackends())('$name', ({ name, open }) => {
  let database: Database;
  let seq = 0;
  // Every test uses its own account codes, so tests stay independent while sharing one database.
  const code = (label: string) => `${label}-${++seq}`;
  const openAccount = async (label: string, balanceFen = 0n) => {
    const [row] = await database.db
      .insert(accounts)
      .values({ code: code(label), holder: 'Li Wei', balanceFen })
      .returning();
    return row!;
  };
  const countAccounts = async (accountCode: string) => {
    const [row] = await database.query<{ n: bigint }>(
      sql`select count(*) as n from ${accounts} where ${accounts.code} = ${accountCode}`,
    );
    return row?.n;
  };

  beforeAll(async () => {
    database = await open();
    await database.migrate(fixtureMigrations);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('says which driver it is and where the data lives', () => {
    expect(database.kind).toBe(name);
    expect(database.describe()).toMatch(
      name === 'pglite' ? /^PGlite in memory$/ : /^PostgreSQL at postgres:\/\/\w+@[^/]+:\d+\/gongxin_t_\w+$/,
    );
  });

  describe('migrations', () => {
    it('create the app schema, its tables and its own journal inside it', async () => {
      const tables = await database.query<{ table_name: string }>(
        sql`select table_name from information_schema.tables where table_schema = 'db_fixture' order by 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(['__drizzle_migrations', 'accounts', 'ledger_entries']);
      const journal = await database.query(sql`select hash from db_fixture.__drizzle_migrations`);
      expect(journal).toHaveLength(2);
      // drizzle's default journal schema must not appear: apps never share a journal.
      const drizzleSchema = await database.query(
        sql`select 1 from information_schema.schemata where schema_name = 'drizzle'`,
      );
      expect(drizzleSchema).toEqual([]);
    });

    it('are a no-op when applied again, keeping data', async () => {
      const account = await openAccount('remigrate');
      await database.migrate(fixtureMigrations);
      await database.migrate(fixtureMigrations);
      expect(await database.query(sql`select hash from db_fixture.__drizzle_migrations`)).toHaveLength(2);
      expect(await countAccounts(account.code)).toBe(1n);
    });
  });

  describe('query builder', () => {
    it('inserts, reads, updates and deletes with the column types the schema declares', async () => {
      const created = await openAccount('crud', 1_250n);
      expect(created).toMatchObject({ holder: 'Li Wei', balanceFen: 1_250n, profile: null });
      expect(typeof created.id).toBe('number');
      expect(created.openedAt).toBeInstanceOf(Date);

      await database.db
        .update(accounts)
        .set({ balanceFen: 99n, profile: { district: 'Xuhui', tags: ['pension'] } })
        .where(eq(accounts.id, created.id));
      const [read] = await database.db.select().from(accounts).where(eq(accounts.id, created.id));
      expect(read).toEqual({
        ...created,
        balanceFen: 99n,
        profile: { district: 'Xuhui', tags: ['pension'] },
      });

      await database.db.insert(ledgerEntries).values({ accountId: created.id, amountFen: -5n, memo: 'fee' });
      const joined = await database.db
        .select({ code: accounts.code, amountFen: ledgerEntries.amountFen })
        .from(ledgerEntries)
        .innerJoin(accounts, eq(accounts.id, ledgerEntries.accountId))
        .where(eq(accounts.id, created.id));
      expect(joined).toEqual([{ code: created.code, amountFen: -5n }]);

      await database.db.delete(ledgerEntries).where(eq(ledgerEntries.accountId, created.id));
      const deleted = await database.db.delete(accounts).where(eq(accounts.id, created.id)).returning();
      expect(deleted).toHaveLength(1);
      expect(await countAccounts(created.code)).toBe(0n);
    });
  });

  describe('raw query helper', () => {
    it('returns a plain array of row objects with the same value types on both drivers', async () => {
      const rows = await database.query(
        sql`select 42::int8 as n, 7::int4 as small, 'x'::text as label, '{"a":[1]}'::jsonb as doc,
                   1.50::numeric(10,2) as amount, true as ok, null::text as nothing
            union all
            select 43, 8, 'y', '{}'::jsonb, 0.00, false, null order by n`,
      );
      expect(Object.getPrototypeOf(rows)).toBe(Array.prototype);
      expect(rows).toEqual([
        { n: 42n, small: 7, label: 'x', doc: { a: [1] }, amount: '1.50', ok: true, nothing: null },
        { n: 43n, small: 8, label: 'y', doc: {}, amount: '0.00', ok: false, nothing: null },
      ]);
      expect(await database.query(sql`select 1 where false`)).toEqual([]);
    });

    it('binds parameters, including bigint', async () => {
      const [row] = await database.query<{ big: bigint; text: string }>(
        sql`select ${MAX_INT8}::int8 as big, ${"Robert'); drop table accounts;--"}::text as text`,
      );
      expect(row).toEqual({ big: MAX_INT8, text: "Robert'); drop table accounts;--" });
    });

    it('execute runs a statement for its effect', async () => {
      const account = await openAccount('execute');
      await database.execute(
        sql`update ${accounts} set holder = 'Wang Fang' where ${accounts.id} = ${account.id}`,
      );
      const [row] = await database.query<{ holder: string }>(
        sql`select holder from ${accounts} where ${accounts.id} = ${account.id}`,
      );
      expect(row?.holder).toBe('Wang Fang');
    });
  });

  describe('transactions', () => {
    it('commit everything when the callback resolves', async () => {
      const accountCode = code('commit');
      const result = await database.transaction(async (tx) => {
        const [account] = await tx
          .insert(accounts)
          .values({ code: accountCode, holder: 'Zhang Min' })
          .returning();
        await tx.insert(ledgerEntries).values({ accountId: account!.id, amountFen: 500n });
        await tx.update(accounts).set({ balanceFen: 500n }).where(eq(accounts.id, account!.id));
        return account!.id;
      });
      const [account] = await database.db.select().from(accounts).where(eq(accounts.id, result));
      expect(account?.balanceFen).toBe(500n);
      expect(
        await database.db.select().from(ledgerEntries).where(eq(ledgerEntries.accountId, result)),
      ).toHaveLength(1);
    });

    it('write nothing when the callback throws, and rethrow its error', async () => {
      const accountCode = code('rollback');
      await expect(
        database.transaction(async (tx) => {
          await tx.insert(accounts).values({ code: accountCode, holder: 'Zhang Min' });
          expect(
            await queryRows(tx, sql`select 1 from ${accounts} where ${accounts.code} = ${accountCode}`),
          ).toHaveLength(1);
          throw new Error('benefit rules rejected the claim');
        }),
      ).rejects.toThrow('benefit rules rejected the claim');
      expect(await countAccounts(accountCode)).toBe(0n);
    });

    it('write nothing when a statement inside fails', async () => {
      const first = code('failing');
      const taken = await openAccount('taken');
      const failed = await database
        .transaction(async (tx) => {
          await tx.insert(accounts).values({ code: first, holder: 'Zhang Min' });
          await tx.insert(accounts).values({ code: taken.code, holder: 'Zhang Min' });
        })
        .catch((err: unknown) => err);
      expect(isUniqueViolation(failed)).toBe(true);
      expect(await countAccounts(first)).toBe(0n);
      // The connection is usable again afterwards (no transaction left open on it).
      expect(await database.query(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    });

    it('nest as savepoints: an inner failure rolls back only the inner work', async () => {
      const outer = code('outer');
      const inner = code('inner');
      await database.transaction(async (tx) => {
        await tx.insert(accounts).values({ code: outer, holder: 'Chen Jie' });
        await expect(
          tx.transaction(async (nested) => {
            await nested.insert(accounts).values({ code: inner, holder: 'Chen Jie' });
            throw new Error('inner step failed');
          }),
        ).rejects.toThrow('inner step failed');
        await tx.transaction(async (nested) => {
          await nested.update(accounts).set({ balanceFen: 7n }).where(eq(accounts.code, outer));
        });
      });
      expect(await countAccounts(outer)).toBe(1n);
      expect(await countAccounts(inner)).toBe(0n);
      const [row] = await database.db.select().from(accounts).where(eq(accounts.code, outer));
      expect(row?.balanceFen).toBe(7n);
    });

    it('run one after another, each seeing the previous commit', async () => {
      const account = await openAccount('sequential');
      for (let i = 0; i < 3; i++) {
        await database.transaction(async (tx) => {
          const [row] = await tx.select().from(accounts).where(eq(accounts.id, account.id));
          await tx
            .update(accounts)
            .set({ balanceFen: row!.balanceFen + 10n })
            .where(eq(accounts.id, account.id));
        });
      }
      const [row] = await database.db.select().from(accounts).where(eq(accounts.id, account.id));
      expect(row?.balanceFen).toBe(30n);
    });

    it('run concurrently without losing updates or interleaving', async () => {
      const account = await openAccount('concurrent');
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          database.transaction(async (tx) => {
            await tx.insert(ledgerEntries).values({ accountId: account.id, amountFen: BigInt(i + 1) });
            await tx
              .update(accounts)
              .set({ balanceFen: sql`${accounts.balanceFen} + ${i + 1}` })
              .where(eq(accounts.id, account.id));
          }),
        ),
      );
      const [row] = await database.db.select().from(accounts).where(eq(accounts.id, account.id));
      expect(row?.balanceFen).toBe(36n);
    });

    it('keep uncommitted work invisible to everyone else', async () => {
      const accountCode = code('invisible');
      let letCommit = () => {};
      const mayCommit = new Promise<void>((resolve) => {
        letCommit = resolve;
      });
      let inserted = () => {};
      const didInsert = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      const tx = database.transaction(async (t) => {
        await t.insert(accounts).values({ code: accountCode, holder: 'Zhao Lei' });
        inserted();
        await mayCommit;
      });
      await didInsert;
      const outside = countAccounts(accountCode);
      const early = await Promise.race([outside, sleep(300).then(() => 'still waiting' as const)]);
      // PGlite has one connection: others wait for the transaction to end. PostgreSQL answers at once.
      expect(early).toBe(name === 'pglite' ? 'still waiting' : 0n);
      letCommit();
      await tx;
      expect(await countAccounts(accountCode)).toBe(1n);
      if (name === 'pglite') expect(await outside).toBe(1n);
    });

    it('refuse database.query/transaction inside their own transaction instead of deadlocking', async () => {
      await expect(database.transaction(async () => database.query(sql`select 1`))).rejects.toThrow(
        /use the tx argument/,
      );
      await expect(database.transaction(async () => database.transaction(async () => 1))).rejects.toThrow(
        /use the tx argument/,
      );
      expect(await database.query(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    });
  });

  describe('money', () => {
    it('round-trips the int8 extremes exactly through the query builder and raw SQL', async () => {
      for (const amount of [MAX_INT8, MIN_INT8, 2n ** 53n + 1n]) {
        const account = await openAccount('bigint', amount);
        expect(account.balanceFen).toBe(amount);
        const [viaBuilder] = await database.db
          .select({ balanceFen: accounts.balanceFen })
          .from(accounts)
          .where(and(eq(accounts.id, account.id), eq(accounts.balanceFen, amount)));
        expect(viaBuilder?.balanceFen).toBe(amount);
        const [viaRaw] = await database.query<{ balance_fen: bigint }>(
          sql`select balance_fen from ${accounts} where id = ${account.id}`,
        );
        expect(viaRaw?.balance_fen).toBe(amount);
      }
    });

    it('overflow past int8 is an error, never a silent wrap', async () => {
      const account = await openAccount('overflow', MAX_INT8);
      const err = await database.db
        .update(accounts)
        .set({ balanceFen: sql`${accounts.balanceFen} + 1` })
        .where(eq(accounts.id, account.id))
        .catch((e: unknown) => e);
      expect(sqlStateOf(err)).toBe('22003'); // numeric_value_out_of_range
    });
  });

  describe('errors', () => {
    it('a unique violation is recognisable with isUniqueViolation', async () => {
      const account = await openAccount('unique');
      const err = await database.db
        .insert(accounts)
        .values({ code: account.code, holder: 'Someone Else' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(isUniqueViolation(err)).toBe(true);
      expect(sqlStateOf(err)).toBe('23505');

      const rawErr = await database
        .execute(sql`insert into ${accounts} (code, holder) values (${account.code}, 'x')`)
        .catch((e: unknown) => e);
      expect(isUniqueViolation(rawErr)).toBe(true);
    });

    it('other constraint errors are not unique violations', async () => {
      const err = await database.db
        .insert(ledgerEntries)
        .values({ accountId: -1, amountFen: 1n })
        .catch((e: unknown) => e);
      expect(sqlStateOf(err)).toBe('23503'); // foreign_key_violation
      expect(isUniqueViolation(err)).toBe(false);
    });
  });
});
