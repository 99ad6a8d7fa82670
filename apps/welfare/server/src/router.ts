// The welfare app's tRPC router. Reads come from the read models (src/indexer.ts); the writes of the
// workflow are contract actions the officer signs in the browser keyring, so the server prepares what
// needs the authority (keyed ID hashes, a cycle's payment lists with their Merkle roots) and never signs
// for a person. Staff procedures are guarded by the passport roles welfare/<role>.
import { appError, clockOf } from '@gongxin/app-kit';
import { type ChainClient, ChainError } from '@gongxin/client';
import { type Household, MAX_BATCH_PAYMENTS, welfareKeys } from '@gongxin/contracts';
import { ALERT_KINDS, WORKFLOW_STEPS } from '@gongxin/contracts/events';
import type { Db } from '@gongxin/db';
import type { Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { TRPCError } from '@trpc/server';
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { failuresOf, type PreparedBatch, prepareCycle, prepareReissue, proofOf, ReissueError } from './cycle';
import {
  alerts,
  applications,
  areas,
  batches,
  cycles,
  decisions,
  envelopes,
  households,
  objections,
  payments,
} from './db/schema';
import { grievancesRouter } from './grievances';
import { messagesRouter } from './messages';
import { publicNotice } from './notice';
import { idHashOf, type PersonAccount } from './people';
import { protectedProcedure, publicProcedure, roleProcedure, router } from './trpc';

const zId = z
  .string()
  .regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'an id is a tx id (64 hex), with :<n> after the first');
const zArea = z.string().regex(/^[1-8]\d{5}$/, 'an area is a GB/T 2260 code of six digits, e.g. 530702');
const zPeriod = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, 'a period is YYYY-MM');
const zLimit = z.number().int().min(1).max(200).default(50);
const STAFF = ['admin', 'caseworker', 'reviewer', 'treasurer', 'auditor'];

const staffProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.roles.some((r) => r.app === 'welfare' && STAFF.includes(r.role)))
    throw new TRPCError({ code: 'FORBIDDEN', message: 'this needs a welfare staff role' });
  return next();
});

/** An answer as it travels: JSON has no bigint, so amounts (fen) go as decimal strings. */
export type Plain<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? Plain<U>[]
    : T extends object
      ? { [K in keyof T]: Plain<T[K]> }
      : T;

export function plain<T>(value: T): Plain<T> {
  if (typeof value === 'bigint') return value.toString() as Plain<T>;
  if (Array.isArray(value)) return value.map(plain) as Plain<T>;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) as Plain<T>;
  return value as Plain<T>;
}

function notFound(key: string, id: string | number, message: string): never {
  throw appError('NOT_FOUND', key, { id }, message);
}

interface ChainMember {
  idHash: string;
  account: string;
  deceased: boolean;
  until?: string;
}

/** The member a household is paid through now: its first living member still in it (the chain's file). */
/** The member a household is paid through, read from its file on chain (what `prepare` uses). */
export function recipientFrom(client: ChainClient) {
  return async (household: string) => {
    try {
      const file = (await client.state(`welfare/household/${household}`)).value as unknown as {
        members: ChainMember[];
      };
      const m = file.members.find((x) => !x.deceased && x.until === undefined);
      return m && { household, idHash: m.idHash, account: m.account };
    } catch (error) {
      if (error instanceof ChainError && error.code === 'not_found') return undefined;
      if (error instanceof ChainError)
        throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message });
      throw error;
    }
  };
}

/** The head of household as staff read it: the passport account and the name this server knows for it. */
export interface HouseholdHead {
  account: string | null;
  name: { 'zh-CN': string; en: string } | null;
}

/**
 * Names each household's head for staff (the public pages mask it). The account comes from the read
 * model (`households.head`, from the event that opened the file), so a list is one query; only a file
 * opened by an event older than that attribute is read from the chain (its first member), one by one.
 */
async function headsOf(
  people: readonly PersonAccount[],
  client: ChainClient,
  rows: readonly { household: string; head: string | null }[],
): Promise<HouseholdHead[]> {
  const names = new Map(people.map((p) => [p.address, p.name]));
  return Promise.all(
    rows.map(async ({ household, head }) => {
      let account = head;
      if (account === null) {
        const state = await client.state(welfareKeys.household(household)).catch(() => null);
        account = state ? ((state.value as unknown as Household).members?.[0]?.did ?? null) : null;
      }
      return { account, name: account ? (names.get(account) ?? null) : null };
    }),
  );
}

const zAlertStatus = z.enum(['open', 'resolved', 'all']);

/** A household an alert is about, as the alerts query reads it: null area and head when not indexed. */
interface AlertHouseholdRow {
  id: string;
  area: string | null;
  head: string | null;
}

/** A column by its bare name, for SQL that qualifies it with an alias of its own. */
const col = (column: { name: string }) => sql.identifier(column.name);

/**
 * Alerts with the households they are about (`alerts.households`, in order: a refused payment's
 * household, the households sharing a bank account), each with its area and head from the households
 * read model, in the same query.
 */
function alertRows(db: Db) {
  return db
    .select({
      id: alerts.id,
      kind: alerts.kind,
      subject: alerts.subject,
      detail: alerts.detail,
      owner: alerts.owner,
      deadline: alerts.deadline,
      outcome: alerts.outcome,
      height: alerts.height,
      txId: alerts.txId,
      time: alerts.time,
      resolvedBy: alerts.resolvedBy,
      resolvedHeight: alerts.resolvedHeight,
      resolvedTx: alerts.resolvedTx,
      resolvedAt: alerts.resolvedAt,
      households: sql<
        AlertHouseholdRow[]
      >`coalesce((select json_agg(json_build_object('id', u.id, 'area', h.${col(households.area)}, 'head', h.${col(households.head)}) order by u.n) from unnest(${alerts}.${col(alerts.households)}) with ordinality as u(id, n) left join ${households} h on h.${col(households.id)} = u.id), '[]'::json)`,
    })
    .from(alerts)
    .$dynamic();
}

/** Alerts about a household of an area (none for an alert about no household). */
const alertInArea = (area: string) =>
  sql`exists (select 1 from ${households} where ${households.id} = any(${alerts.households}) and ${households.area} = ${area})`;

/** An account as staff read it: the address and the name this server knows for it (null if none). */
export interface NamedAccount {
  account: string;
  name: { 'zh-CN': string; en: string } | null;
}

/** A household an alert is about, as staff read it: its area and its head by name. */
export interface AlertHousehold {
  id: string;
  area: string | null;
  head: HouseholdHead;
}

/**
 * Alert rows as staff read them: the households each is about (its subject's, or those sharing a bank
 * account) with their heads by name, its areas (theirs, each once; none for an alert about no household),
 * the owner and the resolver by name. No chain read and no further query: a household opened by an event
 * without its head shows the head as unknown.
 */
function namedAlerts(
  people: readonly PersonAccount[],
  signers: readonly { address: string; name: string }[],
  rows: Awaited<ReturnType<ReturnType<typeof alertRows>['execute']>>,
) {
  const names = new Map(people.map((p) => [p.address, p.name]));
  // Staff who signed in through the passport and are not among this server's people: by passport name.
  const staff = new Map(signers.map((a) => [a.address, { 'zh-CN': a.name, en: a.name }]));
  const named = (account: string): NamedAccount => ({
    account,
    name: names.get(account) ?? staff.get(account) ?? null,
  });
  return rows.map(({ households: about, owner, resolvedBy, ...r }) => {
    const list: AlertHousehold[] = about.map((h) => ({
      id: h.id,
      area: h.area,
      head: { account: h.head, name: h.head ? (names.get(h.head) ?? null) : null },
    }));
    const kind = r.kind as (typeof ALERT_KINDS)[number];
    return {
      ...r,
      kind,
      /** The household the subject is (null for a shared account, a month, a free subject). */
      household: kind === 'shared_account' ? null : (list[0] ?? null),
      /** The households sharing the bank account of a shared-account alert (null for other kinds). */
      sharedBy: kind === 'shared_account' ? list : null,
      areas: [...new Set(list.flatMap((h) => (h.area === null ? [] : [h.area])))],
      owner: named(owner),
      resolvedBy: resolvedBy === null ? null : named(resolvedBy),
    };
  });
}

/** Prepared lists as the disburse actions finance signs (amounts as decimal strings). */
function disburseActions(prepared: PreparedBatch[]) {
  return plain(prepared).map((b) => ({
    root: b.root,
    count: b.payments.length,
    total: b.total,
    action: {
      contract: 'welfare',
      name: 'disburse',
      params: { area: b.area, period: b.period, root: b.root, payments: b.payments },
    },
  }));
}

export const appRouter = router({
  public: router({
    /** Areas with their current standard (fen per person per month). */
    areas: publicProcedure
      .input(z.object({}).strict().optional())
      .query(async ({ ctx }) =>
        plain(await ctx.services.database.db.select().from(areas).orderBy(asc(areas.code))),
      ),
    /**
     * Aggregates per area and month anyone may see and check: households paid, fen issued and paid, the
     * batches (each a tx with its Merkle root) the figures add up from. No person appears.
     */
    aggregate: publicProcedure
      .input(z.object({ area: zArea.optional() }).strict().default({}))
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const where = input.area ? eq(cycles.area, input.area) : undefined;
        const months = await db
          .select()
          .from(cycles)
          .where(where)
          .orderBy(desc(cycles.period), asc(cycles.area));
        const paidHouseholds = await db
          .select({
            area: payments.area,
            period: payments.period,
            households: sql<number>`count(distinct ${payments.household})::int`,
          })
          .from(payments)
          .groupBy(payments.area, payments.period);
        const batchRows = await db
          .select({
            id: batches.id,
            area: batches.area,
            period: batches.period,
            root: batches.root,
            count: batches.count,
            total: batches.total,
            txId: batches.txId,
            height: batches.height,
          })
          .from(batches)
          .where(input.area ? eq(batches.area, input.area) : undefined)
          .orderBy(asc(batches.height));
        const caseload = await db
          .select({ area: households.area, status: households.status, n: count() })
          .from(households)
          .where(input.area ? eq(households.area, input.area) : undefined)
          .groupBy(households.area, households.status);
        const env = await db
          .select()
          .from(envelopes)
          .where(input.area ? eq(envelopes.area, input.area) : undefined);
        // Areas by name, as the 公示 list names them: a code alone (530702) tells a reader nothing.
        const names = new Map(
          (await db.select({ code: areas.code, name: areas.name }).from(areas)).map((a) => [a.code, a.name]),
        );
        const areaName = (code: string) => names.get(code) ?? code;
        return plain({
          months: months.map((m) => ({
            ...m,
            areaName: areaName(m.area),
            households:
              paidHouseholds.find((p) => p.area === m.area && p.period === m.period)?.households ?? 0,
            envelope: env.find((e) => e.area === m.area && e.period === m.period) ?? null,
            batches: batchRows.filter((b) => b.area === m.area && b.period === m.period),
          })),
          caseload: caseload.map((c) => ({ ...c, areaName: areaName(c.area) })),
        });
      }),
    /**
     * The 公示 list: households in their notice period with the head's name masked here (the clear
     * name never leaves the server), category, proposed monthly amount and the notice's end.
     */
    notice: publicProcedure
      .input(z.object({ area: zArea.optional() }).strict().default({}))
      .query(async ({ ctx, input }) => {
        const client = ctx.services.chain.client;
        const names = new Map(ctx.app.people.map((p) => [p.address, p.name['zh-CN']]));
        const fetchState = async (key: string) => {
          try {
            return (await client.state(key)).value as Value;
          } catch (error) {
            if (error instanceof ChainError && error.code === 'not_found') return undefined;
            if (error instanceof ChainError)
              throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message });
            throw error;
          }
        };
        return plain(
          await publicNotice(ctx.services.database.db, fetchState, (did) => names.get(did), {
            ...(input.area && { area: input.area }),
            // The chain's time (its newest block), which decides the standard in force; else the
            // deployment clock, which block times follow.
            now: (await client.latestBlocks(1).catch(() => []))[0]?.time ?? clockOf(ctx.services)(),
          }),
        );
      }),
    /** One committed batch: its root, tx and totals. */
    batch: publicProcedure.input(z.object({ id: zId }).strict()).query(async ({ ctx, input }) => {
      const [b] = await ctx.services.database.db.select().from(batches).where(eq(batches.id, input.id));
      return plain(b ?? notFound('batch_not_found', input.id, `no batch ${input.id}`));
    }),
  }),

  me: router({
    /** Payments to the signed-in person's welfare account, each with its proof in its batch's root. */
    payments: protectedProcedure.query(async ({ ctx }) => {
      const db = ctx.services.database.db;
      const suite = getSuite(ctx.services.chain.suite);
      const rows = await db
        .select({ batch: payments.batch, position: payments.position })
        .from(payments)
        .where(eq(payments.account, ctx.user.address))
        .orderBy(desc(payments.height), asc(payments.position))
        .limit(120);
      const out = [];
      for (const r of rows) {
        const proof = await proofOf(ctx.services.database, suite, r.batch, r.position);
        if (proof) out.push(proof);
      }
      return plain(out);
    }),
  }),

  people: router({
    /** The keyed hash of an ID number (GB 11643) under the authority's secret: what goes on chain. */
    idHash: roleProcedure('welfare', 'caseworker')
      .input(
        z
          .object({
            idNumber: z.string().regex(/^\d{17}[\dXx]$/, 'an ID number is 17 digits and a digit or X'),
          })
          .strict(),
      )
      .mutation(({ ctx, input }) => ({ idHash: idHashOf(ctx.app.idSecret, input.idNumber) })),
  }),

  applications: router({
    list: staffProcedure
      .input(
        z
          .object({ step: z.enum(WORKFLOW_STEPS).optional(), limit: zLimit })
          .strict()
          .default({ limit: 50 }),
      )
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const rows = await db
          .select({
            id: applications.id,
            household: applications.household,
            step: applications.step,
            noticeEnds: applications.noticeEnds,
            updatedAt: applications.updatedAt,
            area: households.area,
            members: households.members,
            head: households.head,
            openObjections: sql<number>`(select count(*)::int from ${objections} where ${objections.application} = ${applications.id} and ${objections.open})`,
          })
          .from(applications)
          .innerJoin(households, eq(households.id, applications.household))
          .where(input.step ? eq(applications.step, input.step) : undefined)
          .orderBy(desc(applications.updatedAt))
          .limit(input.limit);
        // The head of household by name, for staff only (the public notice masks it): the household's
        // first member on chain, named from the people this server knows; null where it knows no name.
        const heads = await headsOf(ctx.app.people, ctx.services.chain.client, rows);
        return rows.map(({ household: _, head: __, ...r }, i) => ({ ...r, head: heads[i]! }));
      }),
    get: staffProcedure.input(z.object({ id: zId }).strict()).query(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const [app] = await db.select().from(applications).where(eq(applications.id, input.id));
      if (!app) notFound('application_not_found', input.id, `no application ${input.id}`);
      const [household] = await db.select().from(households).where(eq(households.id, app.household));
      const objs = await db
        .select()
        .from(objections)
        .where(eq(objections.application, input.id))
        .orderBy(asc(objections.objection));
      const [decision] = await db.select().from(decisions).where(eq(decisions.application, input.id));
      return plain({ ...app, household: household ?? null, objections: objs, decision: decision ?? null });
    }),
  }),

  alerts: router({
    /**
     * Alerts for staff, open ones first (then the newest), filtered by open / resolved / all, by kind
     * and by area (an alert about households of that area; one about no household, such as a month over
     * its envelope, matches no area). Each names the households it is about — its subject's, or those
     * sharing a bank account — by their heads (as the workbench names households) with their areas, its
     * owner and whoever resolved it, from the same query and the people the server knows.
     */
    list: staffProcedure
      .input(
        z
          .object({
            status: zAlertStatus.default('all'),
            kind: z.enum(ALERT_KINDS).optional(),
            area: zArea.optional(),
            limit: zLimit,
          })
          .strict()
          .default({ status: 'all', limit: 50 }),
      )
      .query(async ({ ctx, input }) => {
        const where = and(
          input.status === 'open'
            ? isNull(alerts.outcome)
            : input.status === 'resolved'
              ? isNotNull(alerts.outcome)
              : undefined,
          input.kind ? eq(alerts.kind, input.kind) : undefined,
          input.area ? alertInArea(input.area) : undefined,
        );
        const rows = await alertRows(ctx.services.database.db)
          .where(where)
          .orderBy(sql`${alerts.outcome} is null desc`, desc(alerts.height), asc(alerts.id))
          .limit(input.limit);
        return namedAlerts(ctx.app.people, ctx.app.passportPeople, rows);
      }),
    /** One alert, named as in the list; a 404 naming the id when there is none. */
    get: staffProcedure.input(z.object({ id: zId }).strict()).query(async ({ ctx, input }) => {
      const rows = await alertRows(ctx.services.database.db).where(eq(alerts.id, input.id));
      if (rows.length === 0) notFound('alert_not_found', input.id, `no alert ${input.id}`);
      return namedAlerts(ctx.app.people, ctx.app.passportPeople, rows)[0]!;
    }),
  }),

  /** Grievances (申诉): filed by recipients, answered by officers (src/grievances.ts). */
  grievances: grievancesRouter,

  /** The inbox between officers and recipients (src/inbox). */
  messages: messagesRouter,

  cycles: router({
    get: staffProcedure
      .input(z.object({ area: zArea, period: zPeriod }).strict())
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const [cycle] = await db
          .select()
          .from(cycles)
          .where(and(eq(cycles.area, input.area), eq(cycles.period, input.period)));
        const [envelope] = await db
          .select()
          .from(envelopes)
          .where(and(eq(envelopes.area, input.area), eq(envelopes.period, input.period)));
        const list = await db
          .select()
          .from(batches)
          .where(and(eq(batches.area, input.area), eq(batches.period, input.period)))
          .orderBy(asc(batches.height));
        // Each failure with its head of household by name, as the workbench names households.
        const failures = await failuresOf(ctx.services.database, input.area, input.period);
        const heads = await headsOf(ctx.app.people, ctx.services.chain.client, failures);
        return plain({
          cycle: cycle ?? null,
          envelope: envelope ?? null,
          batches: list,
          failures: failures.map(({ head: _, ...f }, i) => ({ ...f, head: heads[i]! })),
        });
      }),
    /**
     * One batch's payments as the chain holds them, each with its index in the batch and its state (sent,
     * paid, failed, returned): what finance records outcomes against. Read from the chain, not the read
     * model, because outcomes are per payment there and the read model keeps only their sums.
     */
    batch: roleProcedure('welfare', 'treasurer')
      .input(z.object({ id: zId }).strict())
      .query(async ({ ctx, input }) => {
        let file: { payments: { household: string; amount: unknown; state: string; reason?: string }[] };
        try {
          file = (await ctx.services.chain.client.state(`welfare/batch/${input.id}`))
            .value as unknown as typeof file;
        } catch (error) {
          if (error instanceof ChainError && error.code === 'not_found')
            notFound('batch_not_found', input.id, `no batch ${input.id}`);
          if (error instanceof ChainError)
            throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message });
          throw error;
        }
        // Each payment with its head of household by name, read with the batch's households in one query.
        const ids = [...new Set(file.payments.map((p) => p.household))];
        const stored = new Map(
          ids.length === 0
            ? []
            : (
                await ctx.services.database.db
                  .select({ id: households.id, head: households.head })
                  .from(households)
                  .where(inArray(households.id, ids))
              ).map((r) => [r.id, r.head]),
        );
        const heads = await headsOf(
          ctx.app.people,
          ctx.services.chain.client,
          file.payments.map((p) => ({ household: p.household, head: stored.get(p.household) ?? null })),
        );
        return file.payments.map((p, index) => ({
          index,
          household: p.household,
          head: heads[index]!,
          amount: String(p.amount),
          state: p.state as 'sent' | 'paid' | 'failed' | 'returned',
          ...(p.reason !== undefined && { reason: p.reason }),
        }));
      }),
    /**
     * Computes the cycle's payment lists and their roots and keeps them; answers the disburse actions
     * for the finance office to sign. Households already sent a payment for the period are left out,
     * failed or returned ones too: those are paid again through `reissue`, linked to what they repeat.
     */
    prepare: roleProcedure('welfare', 'treasurer')
      .input(
        z
          .object({
            area: zArea,
            period: zPeriod,
            batchSize: z.number().int().min(1).max(MAX_BATCH_PAYMENTS).default(MAX_BATCH_PAYMENTS),
          })
          .strict(),
      )
      .mutation(async ({ ctx, input }) => {
        const prepared = await prepareCycle(
          ctx.services.database,
          getSuite(ctx.services.chain.suite),
          input.area,
          input.period,
          recipientFrom(ctx.services.chain.client),
          { now: clockOf(ctx.services)(), batchSize: input.batchSize },
        );
        return disburseActions(prepared);
      }),
    /**
     * The re-issue (补发) of the month's failed and returned payments: those named, or every one not yet
     * re-issued, as new batches for the finance office to sign. A paid payment, one already re-issued or
     * one of another month is a 400 naming it; a closed month takes no new batch (the contract's rule).
     */
    reissue: roleProcedure('welfare', 'treasurer')
      .input(
        z
          .object({
            area: zArea,
            period: zPeriod,
            payments: z
              .array(z.object({ batch: zId, position: z.number().int().min(0) }).strict())
              .min(1)
              .max(MAX_BATCH_PAYMENTS)
              .optional(),
          })
          .strict(),
      )
      .mutation(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const [cycle] = await db
          .select({ closed: cycles.closed })
          .from(cycles)
          .where(and(eq(cycles.area, input.area), eq(cycles.period, input.period)));
        if (cycle?.closed)
          throw appError(
            'BAD_REQUEST',
            'cycle_closed',
            { period: input.period, area: input.area },
            `period: the ${input.period} cycle of ${input.area} is closed; it takes no new batch`,
          );
        try {
          const { batches: prepared, skipped } = await prepareReissue(
            ctx.services.database,
            getSuite(ctx.services.chain.suite),
            input.area,
            input.period,
            input.payments,
            recipientFrom(ctx.services.chain.client),
            { now: clockOf(ctx.services)() },
          );
          return { batches: disburseActions(prepared), skipped };
        } catch (error) {
          if (error instanceof ReissueError)
            throw appError('BAD_REQUEST', error.key, error.params, `payments: ${error.message}`);
          throw error;
        }
      }),
  }),
});

export type AppRouter = typeof appRouter;
