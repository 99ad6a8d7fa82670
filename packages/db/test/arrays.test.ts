import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { column } from '../src/index';
import { testBackends } from '../src/testing';

describe.each(testBackends())('column arrays on $name', ({ open }) => {
  it('insert thousands of rows in one statement, with nulls, quotes, backslashes, unicode and big integers', async () => {
    const database = await open();
    try {
      await database.execute(sql`create temp table bulk (a int, b text, c bytea, d bigint, e bool, f jsonb)`);
      const n = 3000;
      const a = Array.from({ length: n }, (_, i) => i);
      const b = a.map((i) =>
        i % 7 === 0 ? null : i % 5 === 0 ? `quote " back \\ 共信 {x,y} NULL ${i}` : `row ${i}`,
      );
      const c = a.map((i) => (i % 256).toString(16).padStart(2, '0').repeat(3));
      const d = a.map((i) => (i === 1 ? 2n ** 63n - 1n : i === 2 ? null : BigInt(i) * 1000n));
      const e = a.map((i) => i % 2 === 0);
      const f = a.map((i) => JSON.stringify({ i, s: 'é"\\' }));
      await database.execute(sql`insert into bulk select x.a, x.b, decode(x.c, 'hex'), x.d, x.e, x.f
        from unnest(${column(a, 'int')}, ${column(b, 'text')}, ${column(c, 'text')}, ${column(d, 'bigint')}, ${column(e, 'bool')}, ${column(f, 'jsonb')}) as x(a, b, c, d, e, f)`);
      const rows = await database.query<{
        a: number;
        b: string | null;
        c: Uint8Array;
        d: bigint | null;
        e: boolean;
        f: { i: number; s: string };
      }>(sql`select * from bulk order by a`);
      expect(rows).toHaveLength(n);
      for (const i of [0, 1, 2, 5, 10, 2999]) {
        expect(rows[i]!.b).toBe(b[i]);
        expect(Buffer.from(rows[i]!.c).toString('hex')).toBe(c[i]);
        expect(rows[i]!.d).toBe(d[i]);
        expect(rows[i]!.e).toBe(e[i]);
        expect(rows[i]!.f).toEqual({ i, s: 'é"\\' });
      }
    } finally {
      await database.close();
    }
  });
});
