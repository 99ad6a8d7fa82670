// The copyright app's tRPC router: works (search by title, owner or content-code similarity; one work with
// its licences and listings; similar works for an uploaded file), the use check ("may X do Y with work W
// in territory T on date D"), and the market's listings. Reads come from the read models (src/indexer.ts),
// except the use check, which asks the chain's current state so its answer is never behind a block.
import { type AppServices, appError } from '@gongxin/app-kit';
import { ChainError } from '@gongxin/client';
import {
  checkUse,
  ECONOMIC_RIGHTS,
  type Holding,
  type Licence,
  MORAL_RIGHTS,
  WORK_CATEGORIES,
} from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import { TRPCError } from '@trpc/server';
import { and, count, desc, eq, ilike, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { union } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { accountNames } from './account-names';
import { CANDIDATE_BITS, codeInfo, SIMILAR_BITS } from './codes';
import {
  evidence,
  files,
  licences,
  listings,
  type OwnerJson,
  purchases,
  royalties,
  workParties,
  works,
} from './db/schema';
import type { BundleManifest } from './evidence/bundle';
import { CaptureError, captureUrl } from './evidence/capture';
import { type FilePreview, filePreview } from './preview';
import { protectedProcedure, publicProcedure, router } from './trpc';

const zWorkId = z
  .string()
  .regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'a work id is a tx id (64 hex), with :<n> after the first');
const zAddress = z.string().regex(/^gx1[0-9a-z]{20,90}$/, 'an address starts gx1');
const zSha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits');
const zIscc = z.string().regex(/^ISCC:[A-Z2-7]{16,120}$/, 'an ISCC unit is "ISCC:" and base32 (A-Z, 2-7)');
const zLimit = z.number().int().min(1).max(100).default(20);
/** A date as ms since the epoch or an ISO 8601 date/time. */
const zInstant = z.union([
  z.number().int(),
  z
    .string()
    .refine(
      (s) => !Number.isNaN(Date.parse(s)),
      'a date is ISO 8601, e.g. 2026-12-04 or 2026-12-04T10:00:00+08:00',
    )
    .transform((s) => Date.parse(s)),
]);

type WorkRow = typeof works.$inferSelect;

/** Works with each owner's name where one is known (`name`, else absent), in one lookup for all. */
type NamedOwner = OwnerJson & { name?: string };
async function withOwnerNames<T extends Pick<WorkRow, 'owners'>>(
  services: AppServices,
  rows: T[],
): Promise<(Omit<T, 'owners'> & { owners: NamedOwner[] })[]> {
  const names = await accountNames(
    services,
    rows.flatMap((r) => r.owners.map((o) => o.address)),
  );
  return rows.map((r) => ({
    ...r,
    owners: r.owners.map((o): OwnerJson & { name?: string } =>
      names[o.address] ? { ...o, name: names[o.address] } : o,
    ),
  }));
}

async function worksByIds(services: AppServices, ids: string[]): Promise<Map<string, WorkRow>> {
  if (ids.length === 0) return new Map();
  const rows = await services.database.db.select().from(works).where(inArray(works.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

function chainFailure(error: unknown): never {
  if (error instanceof ChainError)
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message, cause: error });
  throw error;
}

async function stateValue<T>(services: AppServices, key: string): Promise<T | undefined> {
  try {
    return (await services.chain.client.state(key)).value as T;
  } catch (error) {
    if (error instanceof ChainError && error.code === 'not_found') return undefined;
    return chainFailure(error);
  }
}

/** What a list of captures shows of each: where and when, for which work, and whether it is anchored. */
const evidenceSummary = {
  root: evidence.root,
  url: evidence.url,
  capturedAt: evidence.capturedAt,
  workId: evidence.workId,
  anchored: sql<boolean>`${evidence.receipt} is not null`,
};

/**
 * The captures holding a file (the query of evidence.byFile): two index lookups — the bundles' files and
 * the works' files — not a scan of every capture.
 */
export function evidenceByFile(db: Database['db'], sha256: string, limit: number) {
  const inBundle = db
    .select({ root: evidence.root })
    .from(evidence)
    .where(sql`${evidence.manifest} -> 'files' @> ${JSON.stringify([{ sha256 }])}::jsonb`);
  const forWork = db
    .select({ root: evidence.root })
    .from(evidence)
    .innerJoin(works, eq(works.id, evidence.workId))
    .where(sql`${works.files} @> ${JSON.stringify([sha256])}::jsonb`);
  return db
    .select({ ...evidenceSummary, manifest: evidence.manifest })
    .from(evidence)
    .where(inArray(evidence.root, union(inBundle, forWork)))
    .orderBy(desc(evidence.capturedAt), evidence.root)
    .limit(limit);
}

export const appRouter = router({
  works: router({
    /** Works by title (substring), by a party's address, or by content-code similarity; newest first. */
    search: publicProcedure
      .input(
        z
          .object({
            title: z.string().trim().min(1).max(128).optional(),
            owner: zAddress.optional(),
            code: zIscc.optional(),
            maxDistance: z.number().int().min(0).max(32).default(CANDIDATE_BITS),
            status: z.enum(['pending', 'registered', 'rejected']).optional(),
            category: z.enum(WORK_CATEGORIES).optional(),
            before: z.number().int().min(0).optional(),
            limit: zLimit,
          })
          .strict(),
      )
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        if (input.code) {
          const info = codeInfo(input.code);
          if (!info?.similar)
            throw appError(
              'BAD_REQUEST',
              'code_not_similar',
              {},
              'code: only content and data units (Text-, Image-, Data-Code) can be searched by similarity',
            );
          const similar = await ctx.app.similarity.similar([input.code], {
            limit: input.limit,
            maxDistance: input.maxDistance,
          });
          const rows = await worksByIds(
            ctx.services,
            similar.map((s) => s.workId),
          );
          return withOwnerNames(
            ctx.services,
            similar.filter((s) => rows.has(s.workId)).map((s) => ({ ...rows.get(s.workId)!, similarity: s })),
          );
        }
        const where: SQL[] = [];
        if (input.title)
          where.push(ilike(works.title, `%${input.title.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
        if (input.status) where.push(eq(works.status, input.status));
        if (input.category) where.push(eq(works.category, input.category));
        if (input.before !== undefined) where.push(lt(works.height, input.before));
        if (input.owner) {
          const ids = db
            .selectDistinct({ id: workParties.workId })
            .from(workParties)
            .where(and(eq(workParties.address, input.owner), inArray(workParties.role, ['owner', 'holder'])));
          where.push(inArray(works.id, ids));
        }
        const rows = await db
          .select()
          .from(works)
          .where(and(...where))
          .orderBy(desc(works.height), works.id)
          .limit(input.limit);
        return withOwnerNames(
          ctx.services,
          rows.map((r) => ({ ...r, similarity: null })),
        );
      }),

    /**
     * The register in figures for the regulator's workbench: works by status and by category, licences,
     * and market turnover per asset (decimal strings of the smallest unit).
     */
    stats: publicProcedure.query(async ({ ctx }) => {
      const db = ctx.services.database.db;
      const [byStatus, byCategory, licenceRows, turnover] = await Promise.all([
        db.select({ status: works.status, n: count() }).from(works).groupBy(works.status),
        db.select({ category: works.category, n: count() }).from(works).groupBy(works.category),
        db
          .select({ status: licences.status, public: sql<boolean>`${licences.licensee} = '*'`, n: count() })
          .from(licences)
          .groupBy(licences.status, sql`${licences.licensee} = '*'`),
        db
          .select({
            symbol: purchases.symbol,
            n: count(),
            total: sql<string>`coalesce(sum(${purchases.price}), 0)::text`,
          })
          .from(purchases)
          .groupBy(purchases.symbol),
      ]);
      return {
        byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])) as Record<string, number>,
        byCategory: byCategory.map((r) => ({ category: r.category, count: r.n })),
        licences: licenceRows.map((r) => ({ status: r.status, public: !!r.public, count: r.n })),
        turnover: turnover.map((r) => ({ symbol: r.symbol, purchases: r.n, total: String(r.total) })),
      };
    }),

    /** One work with its licences, listings and the works most similar to it. */
    get: publicProcedure.input(z.object({ id: zWorkId }).strict()).query(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const [work] = await db.select().from(works).where(eq(works.id, input.id));
      if (!work) throw appError('NOT_FOUND', 'work_not_found', { id: input.id }, `no work ${input.id}`);
      const [workLicences, workListings, similar] = await Promise.all([
        db.select().from(licences).where(eq(licences.workId, input.id)).orderBy(licences.height),
        db.select().from(listings).where(eq(listings.workId, input.id)).orderBy(desc(listings.height)),
        ctx.app.similarity.similar(work.codes, { excludeWork: work.id, limit: 5 }),
      ]);
      // Prices are bigint fen: as decimal strings on the wire, as market.listings gives them.
      const [named] = await withOwnerNames(ctx.services, [work]);
      // Each licensee by name where one is known, so "may this company use it?" reads without an address book.
      const licenseeNames = await accountNames(
        ctx.services,
        workLicences.map((l) => l.licensee).filter((a) => a !== '*'),
      );
      // Each similar work with its title and status, so a reviewer reads which work it is, not its id.
      const similarWorks = await worksByIds(
        ctx.services,
        similar.map((s) => s.workId),
      );
      return {
        work: named!,
        licences: workLicences.map((l) => ({ ...l, licenseeName: licenseeNames[l.licensee] ?? null })),
        listings: workListings.map((l) => ({ ...l, price: l.price.toString() })),
        similar: similar
          .filter((s) => similarWorks.has(s.workId))
          .map((s) => ({ ...s, work: similarWorks.get(s.workId)! })),
      };
    }),

    /**
     * What an applicant filed, for the reviewer and the regulator to decide on: the originality statement
     * (独创性说明, from the chain's state of the work) and each file with its type, size and a preview —
     * a thumbnail of a picture, the opening lines of a text. The files of a pending work are not public,
     * so this needs one of those roles.
     */
    application: protectedProcedure
      .input(z.object({ id: zWorkId }).strict())
      .query(async ({ ctx, input }) => {
        const allowed = ctx.user.roles.some(
          (r) => r.app === 'copyright' && (r.role === 'reviewer' || r.role === 'regulator'),
        );
        if (!allowed)
          throw new TRPCError({
            code: 'FORBIDDEN',
            message: 'this needs the role copyright:reviewer or copyright:regulator',
          });
        const work = await stateValue<{ originality: string; files: { hash: string; mediaType?: string }[] }>(
          ctx.services,
          `copyright/work/${input.id}`,
        );
        if (!work)
          throw appError(
            'NOT_FOUND',
            'work_not_on_chain',
            { id: input.id },
            `id: no work ${input.id} on chain`,
          );
        const hashes = work.files.map((f) => f.hash.toLowerCase());
        const held =
          hashes.length === 0
            ? []
            : await ctx.services.database.db.select().from(files).where(inArray(files.sha256, hashes));
        const bySha = new Map(held.map((f) => [f.sha256, f]));
        return {
          originality: work.originality,
          files: work.files.map((f) => {
            const row = bySha.get(f.hash.toLowerCase());
            if (!row)
              return {
                sha256: f.hash,
                held: false as const,
                mediaType: f.mediaType ?? null,
                size: null,
                name: null,
                preview: { kind: 'none' } as FilePreview,
              };
            return {
              sha256: row.sha256,
              held: true as const,
              mediaType: row.mediaType,
              size: row.size,
              name: row.name,
              preview: filePreview(row.bytes, row.mediaType),
            };
          }),
        };
      }),

    /**
     * Works similar to an uploaded file, by the codes the server computed from it (POST /api/files), with
     * distances: shown to the applicant before signing and to the reviewer. Never a verdict.
     */
    similarToFile: publicProcedure
      .input(z.object({ sha256: zSha256, limit: z.number().int().min(1).max(50).default(10) }).strict())
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const [file] = await db
          .select({ sha256: files.sha256, codes: files.codes, tool: files.tool, mediaType: files.mediaType })
          .from(files)
          .where(eq(files.sha256, input.sha256));
        if (!file)
          throw appError(
            'NOT_FOUND',
            'upload_not_found',
            { sha256: input.sha256 },
            `sha256: no uploaded file ${input.sha256}`,
          );
        const similar = await ctx.app.similarity.similar(file.codes, {
          limit: input.limit,
        });
        const rows = await worksByIds(
          ctx.services,
          similar.map((s) => s.workId),
        );
        return {
          file,
          thresholds: { strong: SIMILAR_BITS, shown: CANDIDATE_BITS },
          similar: similar
            .filter((s) => rows.has(s.workId))
            .map((s) => ({ ...s, work: rows.get(s.workId)! })),
        };
      }),
  }),

  rights: router({
    /**
     * "May `actor` do `right` with work `workId` in `territory` on `date`?" from the chain's current state
     * by the rights engine (`checkUse`): the answer names its basis (holding, licence with duties) or why not.
     */
    useCheck: publicProcedure
      .input(
        z
          .object({
            workId: zWorkId,
            actor: z.union([zAddress, z.literal('*')]),
            right: z.enum([...ECONOMIC_RIGHTS, ...MORAL_RIGHTS]),
            territory: z.string().regex(/^[A-Z]{2}$/, 'a territory is an ISO 3166-1 alpha-2 code, e.g. CN'),
            date: zInstant,
            purpose: z.enum(['commercial', 'non-commercial']).default('commercial'),
          })
          .strict(),
      )
      .query(async ({ ctx, input }) => {
        const work = await stateValue<{
          status: string;
          createdAt: number;
          protectionUntil: number | null;
          holdings: Holding[];
        }>(ctx.services, `copyright/work/${input.workId}`);
        if (!work)
          throw appError(
            'NOT_FOUND',
            'work_not_on_chain',
            { id: input.workId },
            `workId: no work ${input.workId} on chain`,
          );
        const question = {
          actor: input.actor,
          right: input.right,
          territory: input.territory,
          time: input.date,
          purpose: input.purpose,
        };
        if (work.status !== 'registered')
          return {
            question,
            answer: {
              allowed: false as const,
              reason: 'not_registered',
              detail: `work ${input.workId} is ${work.status}`,
            },
          };
        const ids = (await stateValue<string[]>(ctx.services, `copyright/licences/${input.workId}`)) ?? [];
        const workLicences = (
          await Promise.all(ids.map((id) => stateValue<Licence>(ctx.services, `copyright/licence/${id}`)))
        ).filter((l): l is Licence => l !== undefined);
        const answer = checkUse(question, {
          createdAt: work.createdAt,
          protectionUntil: work.protectionUntil,
          holdings: work.holdings,
          licences: workLicences,
        });
        return { question, answer };
      }),
  }),

  evidence: router({
    /**
     * Captures a web page as evidence and anchors it at once (authors of works and regulators): answers the
     * offline receipt. The server's own browser fetches the page, so private and loopback addresses are
     * refused outside demo and test deployments.
     */
    capture: protectedProcedure
      .input(z.object({ url: z.string().min(1).max(2048), workId: zWorkId.optional() }).strict())
      .mutation(async ({ ctx, input }) => {
        const allowed = ctx.user.roles.some(
          (r) => r.app === 'copyright' && (r.role === 'author' || r.role === 'regulator'),
        );
        if (!allowed)
          throw new TRPCError({
            code: 'FORBIDDEN',
            message: 'this needs the role copyright:author or copyright:regulator',
          });
        try {
          const url = captureUrl(input.url);
          const { config } = ctx.services;
          return await ctx.app.captureEvidence(url.href, {
            publicOnly: !config.demo && config.nodeEnv !== 'test',
            ...(input.workId && { workId: input.workId }),
            requestedBy: ctx.user.address,
          });
        } catch (error) {
          if (error instanceof CaptureError)
            throw appError(
              error.status === 400
                ? 'BAD_REQUEST'
                : error.status === 503
                  ? 'SERVICE_UNAVAILABLE'
                  : 'UNPROCESSABLE_CONTENT',
              error.key,
              error.params,
              error.message,
            );
          throw error;
        }
      }),

    /** A capture's manifest and receipt by its root (the receipt is null while the anchor is pending). */
    get: publicProcedure.input(z.object({ root: zSha256 }).strict()).query(async ({ ctx, input }) => {
      const [row] = await ctx.services.database.db
        .select({
          root: evidence.root,
          url: evidence.url,
          capturedAt: evidence.capturedAt,
          workId: evidence.workId,
          manifest: evidence.manifest,
          receipt: evidence.receipt,
        })
        .from(evidence)
        .where(eq(evidence.root, input.root));
      if (!row)
        throw appError(
          'NOT_FOUND',
          'evidence_not_found',
          { root: input.root },
          `root: no evidence ${input.root}`,
        );
      return row;
    }),

    /**
     * The captures made for a work (the work id given at capture), newest first: how a rights holder finds
     * evidence without its root. Whether each is anchored yet, not its receipt (evidence.get has that).
     */
    byWork: publicProcedure
      .input(z.object({ workId: zWorkId, limit: zLimit }).strict())
      .query(async ({ ctx, input }) =>
        ctx.services.database.db
          .select(evidenceSummary)
          .from(evidence)
          .where(eq(evidence.workId, input.workId))
          .orderBy(desc(evidence.capturedAt), evidence.root)
          .limit(input.limit),
      ),

    /**
     * The captures that hold a file, by its SHA-256 (computed where the file is; the file itself is never
     * sent): those with the file in their bundle (the page as served, the screenshot…, named in
     * `files`), and those made for a work that recorded the file. Newest first, anchored or not.
     */
    byFile: publicProcedure
      .input(z.object({ sha256: zSha256, limit: zLimit }).strict())
      .query(async ({ ctx, input }) => {
        const rows = await evidenceByFile(ctx.services.database.db, input.sha256, input.limit);
        return rows.map(({ manifest, ...row }) => ({
          ...row,
          files: (manifest as BundleManifest).files
            .filter((f) => f.sha256 === input.sha256)
            .map((f) => f.name),
        }));
      }),
  }),

  market: router({
    /**
     * A party's side of the market: licences it holds, what it bought, and the royalties paid to it
     * (amounts as decimal strings of the smallest unit), newest first.
     */
    mine: publicProcedure
      .input(z.object({ address: zAddress, limit: zLimit }).strict())
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const [held, bought, paid] = await Promise.all([
          db
            .select()
            .from(licences)
            .where(eq(licences.licensee, input.address))
            .orderBy(desc(licences.height))
            .limit(input.limit),
          db
            .select()
            .from(purchases)
            .where(eq(purchases.buyer, input.address))
            .orderBy(desc(purchases.height))
            .limit(input.limit),
          db
            .select({ royalty: royalties, workId: listings.workId })
            .from(royalties)
            .innerJoin(listings, eq(listings.id, royalties.listingId))
            .where(eq(royalties.to, input.address))
            .orderBy(desc(royalties.height))
            .limit(input.limit),
        ]);
        const titles = await worksByIds(ctx.services, [
          ...new Set([...held, ...bought, ...paid].map((r) => r.workId)),
        ]);
        const title = (id: string) => titles.get(id)?.title ?? null;
        return {
          licences: held.map((l) => ({ ...l, title: title(l.workId) })),
          purchases: bought.map((p) => ({ ...p, price: p.price.toString(), title: title(p.workId) })),
          royalties: paid.map(({ royalty, workId }) => ({
            ...royalty,
            amount: royalty.amount.toString(),
            workId,
            title: title(workId),
          })),
        };
      }),

    /**
     * Listings of licences and rights, newest first; open ones by default (the public market), `any`
     * for every standing. `seller` narrows them to one seller's: how sellers find their own listings
     * once sold out or withdrawn.
     */
    listings: publicProcedure
      .input(
        z
          .object({
            status: z.enum(['open', 'sold', 'cancelled', 'any']).default('open'),
            workId: zWorkId.optional(),
            kind: z.enum(['licence', 'rights']).optional(),
            seller: zAddress.optional(),
            limit: zLimit,
          })
          .strict(),
      )
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const where: SQL[] = [];
        if (input.status !== 'any') where.push(eq(listings.status, input.status));
        if (input.seller) where.push(sql`${listings.sellers} @> ${JSON.stringify([input.seller])}::jsonb`);
        if (input.workId) where.push(eq(listings.workId, input.workId));
        if (input.kind) where.push(eq(listings.kind, input.kind));
        const rows = await db
          .select()
          .from(listings)
          .where(and(...where))
          .orderBy(desc(listings.height), listings.id)
          .limit(input.limit);
        const titles = await worksByIds(ctx.services, [...new Set(rows.map((r) => r.workId))]);
        // Prices are bigint fen: as decimal strings on the wire, never floats.
        return rows.map((r) => ({
          ...r,
          price: r.price.toString(),
          title: titles.get(r.workId)?.title ?? null,
          remaining: r.quantity - r.sold,
        }));
      }),
  }),
});

export type AppRouter = typeof appRouter;
