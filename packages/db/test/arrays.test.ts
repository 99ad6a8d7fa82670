import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { base64Column, bytesColumn, column } from '../src/index';
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

  it('pass byte columns as hex, empty ones included, and get the same bytes back', async () => {
    const database = await open();
    try {
      await database.execute(sql`create temp table blobs (i int, b bytea)`);
      const values = [
        new Uint8Array(0),
        Uint8Array.from([0, 1, 0x7f, 0x80, 0xff]),
        new Uint8Array(300).map((_, i) => (i * 37) & 0xff),
        // A view into a larger buffer: only its own bytes go.
        new Uint8Array(Uint8Array.from([9, 9, 0x22, 0x5c, 0x2c, 9]).buffer, 2, 3),
      ];
      await database.execute(sql`insert into blobs select x.i, decode(x.b, 'hex')
        from unnest(${column(
          values.map((_, i) => i),
          'int',
        )}, ${bytesColumn(values)}) as x(i, b)`);
      const rows = await database.query<{ i: number; b: Uint8Array }>(sql`select * from blobs order by i`);
      expect(rows.map((r) => Buffer.from(r.b).toString('hex'))).toEqual(
        values.map((v) => Buffer.from(v).toString('hex')),
      );
      expect(Buffer.from(rows[3]!.b).toString('hex')).toBe('225c2c');
    } finally {
      await database.close();
    }
  });

  it('pass byte columns as base64, empty ones and views included, and get the same bytes back', async () => {
    const database = await open();
    try {
      await database.execute(sql`create temp table blobs64 (i int, b bytea)`);
      const values = [
        new Uint8Array(0),
        Uint8Array.from([0xfb, 0xff, 0xfe]), // "+//+" in base64: characters an array literal takes as they are
        Uint8Array.from([0]),
        new Uint8Array(1001).map((_, i) => (i * 91) & 0xff),
        new Uint8Array(Uint8Array.from([9, 9, 0x22, 0x5c, 0x2c, 9]).buffer, 2, 3),
      ];
      await database.execute(sql`insert into blobs64 select x.i, decode(x.b, 'base64')
        from unnest(${column(
          values.map((_, i) => i),
          'int',
        )}, ${base64Column(values)}) as x(i, b)`);
      const rows = await database.query<{ i: number; b: Uint8Array }>(sql`select * from blobs64 order by i`);
      expect(rows.map((r) => Buffer.from(r.b).toString('hex'))).toEqual(
        values.map((v) => Buffer.from(v).toString('hex')),
      );
    } finally {
      await database.close();
    }
  });
});
