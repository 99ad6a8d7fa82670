// The registry app's tRPC router. Public reads (search, an enterprise's record, certificates with their
// status as of a date, notices, posts and matches, statistics, the change feed) come from the read models
// (src/indexer.ts), except where the answer depends on block time — standing, a certificate's status as of
// a date, matching — which the contract's own views answer over the chain's state. The authority's work
// queue and the CSV import check need the role registry:authority. Writes are signed in the browser.
import { type AppServices, appError } from '@gongxin/app-kit';
import {
  type Certificate,
  certificateStatusAt,
  checkUscc,
  enterpriseAt,
  historyAt,
  inGoodStanding,
  listingStatusOf,
  type Post,
  rankCounterparties,
  validCertificatesOf,
} from '@gongxin/contracts';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import { and, asc, desc, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { accountNames } from './account-names';
import { PrefetchedState, viewNow } from './chain-state';
import { checkImport } from './csv';
import {
  certificates,
  changes,
  enterpriseNames,
  enterprises,
  filings,
  listingEvents,
  notices,
  posts,
  reports,
} from './db/schema';
import { filingDetails, filingsOf } from './filings';
import { type CertStanding, type HolderEnded, holderEndings, withHolder } from './holder-ended';
import { importProofOf } from './import-proof';
import { likePrefix, pinyinOf, searchKind } from './names';
import { demoPartyAccounts } from './parties';
import { publicProcedure, roleProcedure, router } from './trpc';

const zUscc = z.string().transform((s, issue) => {
  const r = checkUscc(s);
  if (!r.ok) {
    issue.addIssue({ code: 'custom', message: `uscc: ${r.reason}` });
    return z.NEVER;
  }
  return r.value.code;
});
const zAddress = z.string().regex(/^gx1[0-9a-z]{20,90}$/, 'an address starts gx1');
const zId = z
  .string()
  .regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'an id is a tx id (64 hex), with :<n> after the first');
const zLimit = z.number().int().min(1).max(100).default(20);
const zInstant = z.union([
  z
    .number()
    .int()
    .min(0)
    .max(8_640_000_000_000_000)
    .transform((ms) => ({ ms, dayEnd: false })),
  z
    .string()
    .max(40)
    .refine((s) => !Number.isNaN(Date.parse(s)), 'a date is ISO 8601, e.g. 2026-12-04')
    // A bare date asks about that whole day (China time): its end, or now when that is today.
    .transform((s) =>
      s.length === 10
        ? { ms: Date.parse(`${s}T23:59:59.999+08:00`), dayEnd: true }
        : { ms: Date.parse(s), dayEnd: false },
    ),
]);
/** The instant a `zInstant` asks about, given now on the deployment clock. */
const instantAt = (i: { ms: number; dayEnd: boolean }, now: number) =>
  i.dayEnd ? Math.min(i.ms, now) : i.ms;
/** A feed position: `<height>:<event index>` of the last change seen. */
const zCursor = z.string().regex(/^\d{1,15}:\d{1,6}$/, 'a cursor is <height>:<index>');

const money = <T extends Record<string, unknown>>(row: T) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])) as {
    [K in keyof T]: T[K] extends bigint ? string : T[K] extends bigint | null ? string | null : T[K];
  };

export async function changesAfter(
  db: import('@gongxin/db').Database['db'],
  cursor: string | undefined,
  limit: number,
) {
  const [h, i] = (cursor ?? '0:-1').split(':').map(Number) as [number, number];
  const rows = await db
    .select()
    .from(changes)
    .where(or(gt(changes.height, h), and(eq(changes.height, h), gt(changes.eventIndex, i))))
    .orderBy(asc(changes.height), asc(changes.eventIndex))
    .limit(limit);
  return rows.map((r) => ({ ...r, cursor: `${r.height}:${r.eventIndex}` }));
}

function certView(cert: Certificate, at: number, now: number, ended: HolderEnded | undefined) {
  return {
    statusAt: withHolder(certificateStatusAt(cert, at, now), ended, at),
    statusNow: withHolder(certificateStatusAt(cert, now, now), ended, now),
    history: historyAt(cert, now),
    /** When the holder's life has ended (注销, 合并, 吊销): how, when, and the block and tx that ended it. */
    holderEnded: ended ?? null,
  };
}

type CertificateRow = typeof certificates.$inferSelect;

/**
 * Certificate rows as pages list them: `status` is the certificate's own, unless its holder has ended by
 * `now` (`holder_ended`, with `holderEnded` saying how, when and where on chain).
 */
async function listedCertificates(services: AppServices, rows: CertificateRow[], now: number) {
  const holders = [...new Set(rows.map((r) => r.holder))];
  const [endings, named] = await Promise.all([
    holderEndings(services, holders),
    holders.length
      ? services.database.db
          .select({ uscc: enterprises.uscc, name: enterprises.name })
          .from(enterprises)
          .where(inArray(enterprises.uscc, holders))
      : [],
  ]);
  const names = new Map(named.map((e) => [e.uscc, e.name]));
  return rows.map((r) => {
    const ended = endings.get(r.holder);
    const status: CertStanding =
      r.status === 'valid' || r.status === 'suspended' ? withHolder(r.status, ended, now) : r.status;
    return { ...r, status, holderEnded: ended ?? null, holderName: names.get(r.holder) ?? null };
  });
}

export const appRouter = router({
  enterprises: router({
    /**
     * By USCC (whole or its beginning), by name or previous name (prefix), by pinyin (全拼 or 首字母 prefix),
     * or by the legal representative's address.
     */
    search: publicProcedure
      .input(
        z
          .object({
            q: z.string().trim().min(1).max(128).optional(),
            representative: zAddress.optional(),
            life: z.enum(['pending', 'active', 'revoked', 'deregistered', 'merged']).optional(),
            limit: zLimit,
          })
          .strict(),
      )
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const where: SQL[] = [];
        if (input.life) where.push(eq(enterprises.life, input.life));
        if (input.representative) where.push(eq(enterprises.representative, input.representative));
        if (input.q) {
          const q = input.q.normalize('NFKC');
          const kind = searchKind(q);
          if (kind === 'uscc') {
            const code = q.toUpperCase().replace(/[\s-]/g, '');
            where.push(
              code.length === 18
                ? eq(enterprises.uscc, code)
                : sql`${enterprises.uscc} collate "C" like ${likePrefix(code)}`,
            );
          } else {
            // Prefix scans of the names' C-collated indexes, the first matches in order; then their
            // enterprises. A name matches by any name it has borne.
            const byPrefix = (column: AnyPgColumn, prefix: string) =>
              db
                .select({ uscc: enterpriseNames.uscc })
                .from(enterpriseNames)
                .where(sql`${column} collate "C" like ${likePrefix(prefix)}`)
                .orderBy(sql`${column} collate "C"`)
                .limit(input.limit * 4);
            const found =
              kind === 'pinyin'
                ? (
                    await Promise.all([
                      byPrefix(enterpriseNames.pinyin, pinyinOf(q).full),
                      byPrefix(enterpriseNames.initials, pinyinOf(q).full),
                    ])
                  ).flat()
                : await byPrefix(enterpriseNames.name, q);
            if (found.length === 0) return [];
            where.push(inArray(enterprises.uscc, [...new Set(found.map((r) => r.uscc))]));
          }
        }
        const rows = await db
          .select()
          .from(enterprises)
          .where(and(...where))
          .orderBy(sql`${enterprises.name} collate "C"`, asc(enterprises.uscc))
          .limit(input.limit);
        return rows.map(money);
      }),

    /** One enterprise: its record, reports, listing history, filings, certificates, notices and posts. */
    get: publicProcedure.input(z.object({ uscc: zUscc }).strict()).query(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const [ent] = await db.select().from(enterprises).where(eq(enterprises.uscc, input.uscc));
      if (!ent)
        throw appError(
          'NOT_FOUND',
          'enterprise_not_found',
          { uscc: input.uscc },
          `uscc: no enterprise ${input.uscc}`,
        );
      const state = new PrefetchedState(ctx.services);
      await state.loadEnterprises([input.uscc]);
      const now = viewNow(ctx.services);
      const live = enterpriseAt(state, input.uscc, now);
      const [rep, list, fil, certs, nots, own] = await Promise.all([
        db.select().from(reports).where(eq(reports.uscc, input.uscc)).orderBy(asc(reports.year)),
        db
          .select()
          .from(listingEvents)
          .where(eq(listingEvents.uscc, input.uscc))
          .orderBy(asc(listingEvents.height)),
        filingsOf(ctx.services, input.uscc, state),
        db
          .select()
          .from(certificates)
          .where(eq(certificates.holder, input.uscc))
          .orderBy(desc(certificates.height)),
        db.select().from(notices).where(eq(notices.uscc, input.uscc)).orderBy(desc(notices.height)),
        db.select().from(posts).where(eq(posts.uscc, input.uscc)).orderBy(desc(posts.height)),
      ]);
      return {
        // The registration event carries no address: the read model has one only after a change.
        enterprise: money({ ...ent, address: ent.address ?? state.enterprise(input.uscc)?.address ?? null }),
        /** As the contract's view sees it now (a passed deadline shows before the sweep records it). */
        live: live
          ? {
              life: live.life,
              /** When its life ended (注销, 合并, 吊销) and, after a merger, the enterprise it merged into. */
              endedAt: live.endedAt ?? null,
              successor: live.successor ?? null,
              listingStatus: listingStatusOf(live.listings),
              goodStanding: inGoodStanding(state, input.uscc, now),
              reportsFrom: live.reportsFrom,
              listings: live.listings,
            }
          : null,
        reports: rep,
        listings: list,
        /** Change, deregistration and merger filings, newest first, each field old → new. */
        filings: fil,
        certificates: await listedCertificates(ctx.services, certs, now),
        notices: nots.map(money),
        posts: own.map(money),
        /** Names of the accounts shown (authority, representative, filers, deciders, issuers), by address. */
        names: await accountNames(
          ctx.services,
          [
            ent.authority,
            ent.representative,
            ...fil.flatMap((f) => [f.filedBy ?? '', f.decision?.by ?? '']),
            ...fil.flatMap((f) =>
              f.diff.filter((d) => d.field === 'representative').flatMap((d) => [d.from ?? '', d.to]),
            ),
            ...certs.map((c) => c.issuer),
          ],
          state,
        ),
      };
    }),

    /**
     * For an enterprise migrated in an import batch: its record as migrated, the audit path to the
     * batch's Merkle root, the root as the chain keeps it and the block and tx that anchored it.
     */
    importProof: publicProcedure.input(z.object({ uscc: zUscc }).strict()).query(async ({ ctx, input }) => {
      const proof = await importProofOf(ctx.services, input.uscc);
      if (!proof)
        throw appError(
          'NOT_FOUND',
          'not_imported',
          { uscc: input.uscc },
          `uscc: ${input.uscc} did not come on chain by an import batch`,
        );
      return proof;
    }),

    /** Counts of active enterprises by GB/T 4754 section and by province (for the workbench's charts). */
    stats: publicProcedure.query(async ({ ctx }) => {
      const db = ctx.services.database.db;
      const [byIndustry, byRegion, byStatus] = await Promise.all([
        db
          .select({
            key: sql<string>`substr(${enterprises.industry}, 1, 1)`,
            count: sql<number>`count(*)::int`,
          })
          .from(enterprises)
          .where(eq(enterprises.life, 'active'))
          .groupBy(sql`1`)
          .orderBy(sql`1`),
        db
          .select({
            key: sql<string>`substr(${enterprises.region}, 1, 2)`,
            count: sql<number>`count(*)::int`,
          })
          .from(enterprises)
          .where(eq(enterprises.life, 'active'))
          .groupBy(sql`1`)
          .orderBy(sql`1`),
        db
          .select({ key: enterprises.listingStatus, count: sql<number>`count(*)::int` })
          .from(enterprises)
          .groupBy(enterprises.listingStatus),
      ]);
      return { byIndustry, byRegion, byStatus };
    }),
  }),

  /**
   * Registering authorities an enterprise may file with: those that have decided registrations and, on a
   * demo, the demo authorities and the passport's registrar, each confirmed on chain (governance scope
   * `registry`) and named as governance names it.
   */
  authorities: publicProcedure.query(async ({ ctx }) => {
    const seen = await ctx.services.database.db
      .selectDistinct({ address: enterprises.authority })
      .from(enterprises)
      .limit(50);
    const candidates = new Set(seen.map((r) => r.address));
    if (ctx.services.config.demo) {
      const suite = getSuite(ctx.services.chain.suite);
      for (const p of demoPartyAccounts(suite)) if (p.role === 'authority') candidates.add(p.address);
      for (const a of demoAccounts(suite))
        if (a.authority?.scopes.includes('registry')) candidates.add(a.address);
    }
    const state = new PrefetchedState(ctx.services);
    await state.load([...candidates].map((a) => `governance/authority/${a}`));
    return [...candidates]
      .map((address) => ({
        address,
        authority: state.get(`governance/authority/${address}`) as
          | { name?: string; scopes?: string[] }
          | undefined,
      }))
      .filter((a) => a.authority?.scopes?.includes('registry'))
      .map((a) => ({ address: a.address, name: a.authority?.name ?? a.address }));
  }),

  workbench: router({
    /**
     * The registering authority's queue: the registrations that name it (only the authority an application
     * names may decide it) and the filings awaiting a decision (any registering authority decides those).
     */
    queue: roleProcedure('registry', 'authority')
      .input(z.object({ limit: zLimit }).strict().default({ limit: 20 }))
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const [registrations, pendingFilings] = await Promise.all([
          db
            .select()
            .from(enterprises)
            .where(and(eq(enterprises.life, 'pending'), eq(enterprises.authority, ctx.user.address)))
            .orderBy(asc(enterprises.height))
            .limit(input.limit),
          db
            .select()
            .from(filings)
            .where(eq(filings.status, 'pending'))
            .orderBy(asc(filings.height))
            .limit(input.limit),
        ]);
        const details = await filingDetails(ctx.services, pendingFilings);
        return {
          registrations: registrations.map(money),
          /** Each with its enterprise's name, the filer's reason and each field old → new. */
          filings: details,
          /** The applicants and filers by name. */
          names: await accountNames(ctx.services, [
            ...registrations.map((r) => r.representative),
            ...details.flatMap((f) => [f.filedBy ?? '']),
            ...details.flatMap((f) =>
              f.diff.filter((d) => d.field === 'representative').flatMap((d) => [d.from ?? '', d.to]),
            ),
          ]),
        };
      }),

    /** Checks a CSV of enterprises row by row; answers the `register` params of good rows and every error. */
    checkImport: roleProcedure('registry', 'authority')
      .input(z.object({ csv: z.string().min(1).max(5_000_000) }).strict())
      .mutation(({ input }) => {
        const { rows, errors } = checkImport(input.csv);
        return { rows: rows.map((r) => ({ row: r.row, params: money({ ...r.params }) })), errors };
      }),
  }),

  certificates: router({
    list: publicProcedure
      .input(z.object({ holder: zUscc.optional(), issuer: zAddress.optional(), limit: zLimit }).strict())
      .query(async ({ ctx, input }) => {
        const where: SQL[] = [];
        if (input.holder) where.push(eq(certificates.holder, input.holder));
        if (input.issuer) where.push(eq(certificates.issuer, input.issuer));
        const rows = await ctx.services.database.db
          .select()
          .from(certificates)
          .where(and(...where))
          .orderBy(desc(certificates.height))
          .limit(input.limit);
        return listedCertificates(ctx.services, rows, viewNow(ctx.services));
      }),

    /**
     * A certificate as the public page verifies it: the chain's record, its status as of `at` (was it
     * valid when the product was sold?) and now, its history, the holder's standing, and the txs to prove.
     */
    verify: publicProcedure
      .input(z.object({ id: zId, at: zInstant.optional() }).strict())
      .query(async ({ ctx, input }) => {
        const state = new PrefetchedState(ctx.services);
        await state.load([`registry/cert/${input.id}`]);
        const cert = state.certificate(input.id);
        if (!cert)
          throw appError(
            'NOT_FOUND',
            'certificate_not_found',
            { id: input.id },
            `id: no certificate ${input.id}`,
          );
        await state.loadEnterprises([cert.holder]);
        const now = viewNow(ctx.services);
        const at = input.at ? instantAt(input.at, now) : now;
        const [row] = await ctx.services.database.db
          .select()
          .from(certificates)
          .where(eq(certificates.id, input.id));
        const holder = state.enterprise(cert.holder);
        const names = await accountNames(ctx.services, [cert.issuer], state);
        const ended = (await holderEndings(ctx.services, [cert.holder])).get(cert.holder);
        return {
          certificate: { ...cert, height: row?.height ?? cert.at },
          /** The issuing body's name, null when it has none the registry knows. */
          issuerName: names[cert.issuer] ?? null,
          at,
          ...certView(cert, at, now, ended),
          holder: holder
            ? {
                uscc: holder.uscc,
                name: holder.name,
                life: holder.life,
                goodStanding: inGoodStanding(state, holder.uscc, now),
              }
            : null,
          issueTx: cert.txId,
        };
      }),
  }),

  notices: router({
    list: publicProcedure
      .input(
        z
          .object({
            kind: z.enum(['penalty', 'registration', 'deregistration', 'merger', 'other']).optional(),
            limit: zLimit,
          })
          .strict(),
      )
      .query(async ({ ctx, input }) => {
        // Each notice with the name of the enterprise it concerns (null for one about no enterprise).
        const rows = await ctx.services.database.db
          .select({ notice: notices, enterpriseName: enterprises.name })
          .from(notices)
          .leftJoin(enterprises, eq(enterprises.uscc, notices.uscc))
          .where(input.kind ? eq(notices.kind, input.kind) : undefined)
          .orderBy(desc(notices.height))
          .limit(input.limit);
        return rows.map((r) => ({ ...money(r.notice), enterpriseName: r.enterpriseName }));
      }),
  }),

  posts: router({
    list: publicProcedure
      .input(
        z
          .object({ kind: z.enum(['offer', 'need']).optional(), uscc: zUscc.optional(), limit: zLimit })
          .strict(),
      )
      .query(async ({ ctx, input }) => {
        const where: SQL[] = [eq(posts.status, 'open')];
        if (input.kind) where.push(eq(posts.kind, input.kind));
        if (input.uscc) where.push(eq(posts.uscc, input.uscc));
        const rows = await ctx.services.database.db
          .select({ post: posts, name: enterprises.name })
          .from(posts)
          .leftJoin(enterprises, eq(enterprises.uscc, posts.uscc))
          .where(and(...where))
          .orderBy(desc(posts.height))
          .limit(input.limit);
        return rows.map((r) => ({ ...money(r.post), name: r.name }));
      }),

    /**
     * Counterparties for a post, ranked by the contract's `rankCounterparties` (fit, region, quantity):
     * only enterprises in good standing, and suppliers only with a certificate valid now for the item.
     */
    matches: publicProcedure
      .input(z.object({ id: zId, limit: zLimit }).strict())
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const [row] = await db.select().from(posts).where(eq(posts.id, input.id));
        if (!row) throw appError('NOT_FOUND', 'post_not_found', { id: input.id }, `id: no post ${input.id}`);
        const toPost = (p: typeof row): Post => ({ ...p, at: p.height, by: '' });
        const candidates = await db
          .select()
          .from(posts)
          .where(
            and(
              eq(posts.status, 'open'),
              eq(posts.kind, row.kind === 'offer' ? 'need' : 'offer'),
              eq(posts.unit, row.unit),
              sql`substr(${posts.industry}, 1, 3) = ${row.industry.slice(0, 3)}`,
            ),
          )
          .orderBy(asc(posts.height))
          .limit(500);
        const state = new PrefetchedState(ctx.services);
        await state.loadEnterprises([...new Set([row.uscc, ...candidates.map((c) => c.uscc)])]);
        const now = viewNow(ctx.services);
        const matches = rankCounterparties(toPost(row), candidates.map(toPost), {
          goodStanding: (u) => inGoodStanding(state, u, now),
          certificates: (u) => validCertificatesOf(state, u, now),
        }).slice(0, input.limit);
        const names = new Map(
          (
            await db
              .select({ uscc: enterprises.uscc, name: enterprises.name })
              .from(enterprises)
              .where(inArray(enterprises.uscc, [...new Set(matches.map((m) => m.post.uscc))].concat([''])))
          ).map((e) => [e.uscc, e.name]),
        );
        return matches.map((m) => ({
          post: money(m.post as unknown as Record<string, unknown>),
          name: names.get(m.post.uscc) ?? null,
          score: m.score,
          reasons: [...m.reasons],
          certificate: m.certificate ?? null,
        }));
      }),
  }),

  feed: router({
    /** The change feed from a cursor (exclusive): every registry event once, in chain order. */
    page: publicProcedure
      .input(
        z
          .object({ after: zCursor.optional(), limit: z.number().int().min(1).max(1000).default(100) })
          .strict(),
      )
      .query(({ ctx, input }) => changesAfter(ctx.services.database.db, input.after, input.limit)),
  }),
});

export type AppRouter = typeof appRouter;
