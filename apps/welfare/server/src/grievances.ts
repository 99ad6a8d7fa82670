// Grievances (申诉) in the app: a recipient writes one about their household's file or a decision; the
// words stay on this server (grievance_texts, keyed by their SHA-256) and the action to sign carries only
// the hash. Officers answer the same way. Views are restricted: the person who filed sees their own;
// welfare case workers, reviewers and auditors see the queue of their areas; nobody else sees any.
import { appError, clockOf } from '@gongxin/app-kit';
import { GRIEVANCE_CATEGORIES } from '@gongxin/contracts/events';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { TRPCError } from '@trpc/server';
import { and, asc, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { grievances, grievanceTexts } from './db/schema';
import { protectedProcedure, router } from './trpc';

const zId = z
  .string()
  .regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'an id is a tx id (64 hex), with :<n> after the first');
const zHash = z.string().regex(/^[0-9a-f]{64}$/, 'a hash is 64 hex');
const zArea = z.string().regex(/^[1-8]\d{5}$/, 'an area is a GB/T 2260 code of six digits');
const zWords = z.string().trim().min(1, 'words are needed').max(4000);
const OFFICER_ROLES = ['caseworker', 'reviewer', 'auditor'];
const ANSWER_ROLES = ['caseworker', 'reviewer'];

const hashOf = (text: string) => bytesToHex(sha256(new TextEncoder().encode(text)));

const officerProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.roles.some((r) => r.app === 'welfare' && OFFICER_ROLES.includes(r.role)))
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'grievances are seen by the one who filed them and by officers',
    });
  return next();
});

async function withTexts<T extends { textHash: string; answerHash: string | null }>(
  db: import('@gongxin/db').Db,
  rows: T[],
) {
  const hashes = [...new Set(rows.flatMap((r) => [r.textHash, ...(r.answerHash ? [r.answerHash] : [])]))];
  const texts = hashes.length
    ? await db.select().from(grievanceTexts).where(inArray(grievanceTexts.hash, hashes))
    : [];
  const body = (h: string | null) => (h ? (texts.find((t) => t.hash === h)?.body ?? null) : null);
  return rows.map((r) => ({ ...r, text: body(r.textHash), answer: body(r.answerHash) }));
}

export const grievancesRouter = router({
  /** Keeps the words and answers the fileGrievance action (hashes only) for the person to sign. */
  prepare: protectedProcedure
    .input(
      z
        .object({
          household: zId,
          category: z.enum(GRIEVANCE_CATEGORIES),
          text: zWords,
          attachment: zHash.optional(),
          decision: zId.optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const textHash = hashOf(input.text);
      await ctx.services.database.db
        .insert(grievanceTexts)
        .values({
          hash: textHash,
          body: input.text,
          author: ctx.user.address,
          createdAt: clockOf(ctx.services)(),
        })
        .onConflictDoNothing();
      return {
        textHash,
        action: {
          contract: 'welfare',
          name: 'fileGrievance',
          params: {
            household: input.household,
            category: input.category,
            textHash,
            ...(input.attachment && { attachment: input.attachment }),
            ...(input.decision && { decision: input.decision }),
          },
        },
      };
    }),
  /** Keeps an officer's answer and answers the answerGrievance action to sign. */
  prepareAnswer: protectedProcedure
    .input(z.object({ id: zId, text: zWords, upheld: z.boolean() }).strict())
    .mutation(async ({ ctx, input }) => {
      if (!ctx.user.roles.some((r) => r.app === 'welfare' && ANSWER_ROLES.includes(r.role)))
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'answering needs the case worker or reviewer role',
        });
      const db = ctx.services.database.db;
      const [g] = await db.select().from(grievances).where(eq(grievances.id, input.id));
      if (!g)
        throw appError('NOT_FOUND', 'grievance_not_found', { id: input.id }, `no grievance ${input.id}`);
      const answerHash = hashOf(input.text);
      await db
        .insert(grievanceTexts)
        .values({
          hash: answerHash,
          body: input.text,
          author: ctx.user.address,
          createdAt: clockOf(ctx.services)(),
        })
        .onConflictDoNothing();
      return {
        answerHash,
        action: {
          contract: 'welfare',
          name: 'answerGrievance',
          params: { id: input.id, answerHash, upheld: input.upheld },
        },
      };
    }),
  /** The grievances the signed-in person filed, newest first, with their words and answers. */
  mine: protectedProcedure.query(async ({ ctx }) => {
    const db = ctx.services.database.db;
    const rows = await db
      .select()
      .from(grievances)
      .where(eq(grievances.filedBy, ctx.user.address))
      .orderBy(desc(grievances.time))
      .limit(100);
    return withTexts(db, rows);
  }),
  /** Officers' queue: open ones first by deadline, then answered ones; optionally one area. */
  queue: officerProcedure
    .input(z.object({ area: zArea.optional(), open: z.boolean().optional() }).strict().default({}))
    .query(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const conds: SQL[] = [];
      if (input.area) conds.push(eq(grievances.area, input.area));
      if (input.open) conds.push(isNull(grievances.answerHash));
      const rows = await db
        .select()
        .from(grievances)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(asc(grievances.deadline))
        .limit(200);
      return withTexts(db, rows);
    }),
});
