// A driver's own vehicles (我的车辆): plates bound to the signed-in passport account, each with its open
// stay and recent receipts, so the driver's page opens on them without typing. The bindings stay in this
// app's database; the chain only ever holds a plate's keyed hash. A plate must be a real plate by the
// gate's rules (ordinary or new-energy: a virtual 无牌 plate lives for one stay and is never bound).
import { type AppServices, appError } from '@gongxin/app-kit';
import { plateKind } from '@gongxin/parking-gate';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { boundPlates, receipts, sessions } from './db/schema';

/** How many plates one account may bind (a household's cars; more is a fleet, not a driver). */
export const MAX_BOUND_PLATES = 5;

/** A plate as people type it (any case, spaces, `·` or `-` between parts) in the form the gates read. */
export const normalizePlate = (plate: string) => plate.toUpperCase().replace(/[\s·.-]/g, '');

/** A plate to bind: normalized, then an ordinary (7) or new-energy (8) Chinese plate. */
export const zBindablePlate = z
  .string()
  .max(20, 'plate: at most 20 characters')
  .transform(normalizePlate)
  .refine(
    (p) => {
      const kind = plateKind(p);
      return kind === 'ordinary' || kind === 'newEnergy';
    },
    {
      message:
        'plate: a Chinese plate, province character, letter, then 5 letters or digits (沪A12345) or 6 for a new-energy plate (沪AD12345)',
    },
  );

type Db = AppServices['database']['db'];

export async function boundPlatesOf(db: Db, subject: string) {
  return db
    .select()
    .from(boundPlates)
    .where(eq(boundPlates.subject, subject))
    .orderBy(asc(boundPlates.boundAt), asc(boundPlates.plate));
}

/**
 * Binds `plate` to `subject`. Binding a plate the account has already is a no-op (a retried request must
 * not fail); a sixth plate is refused. The count and the insert hold one lock per account, so two requests
 * at once cannot both take the fifth place.
 */
export async function bindPlate(
  services: AppServices,
  subject: string,
  plate: string,
  plateHash: string,
  now: number,
): Promise<{ plate: string; already: boolean }> {
  return services.database.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`parking/bound/${subject}`}))`);
    const [mine] = await tx
      .select()
      .from(boundPlates)
      .where(and(eq(boundPlates.subject, subject), eq(boundPlates.plate, plate)));
    if (mine) return { plate, already: true };
    const [row] = await tx.select({ n: count() }).from(boundPlates).where(eq(boundPlates.subject, subject));
    if ((row?.n ?? 0) >= MAX_BOUND_PLATES)
      throw appError(
        'BAD_REQUEST',
        'too_many_plates',
        { max: MAX_BOUND_PLATES },
        `plate: an account binds at most ${MAX_BOUND_PLATES} plates; unbind one first`,
      );
    await tx.insert(boundPlates).values({ subject, plate, plateHash, boundAt: now });
    return { plate, already: false };
  });
}

export async function unbindPlate(db: Db, subject: string, plate: string): Promise<void> {
  const gone = await db
    .delete(boundPlates)
    .where(and(eq(boundPlates.subject, subject), eq(boundPlates.plate, plate)))
    .returning({ plate: boundPlates.plate });
  if (gone.length === 0)
    throw appError('NOT_FOUND', 'plate_not_bound', { plate }, `plate ${plate} is not bound to this account`);
}

const fen = (v: bigint | null) => (v === null ? null : v.toString());

/** Each bound plate with its open stay (the latest, if the gates left more than one) and last receipts. */
export async function myPlates(db: Db, subject: string, receiptsPerPlate = 5) {
  const mine = await boundPlatesOf(db, subject);
  const plates = await Promise.all(
    mine.map(async (b) => {
      const [open] = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.plateHash, b.plateHash), eq(sessions.status, 'open')))
        .orderBy(desc(sessions.height))
        .limit(1);
      const paid = await db
        .select({ receipt: receipts, entry: sessions.entry, exit: sessions.exit })
        .from(receipts)
        .innerJoin(sessions, eq(sessions.id, receipts.session))
        .where(eq(sessions.plateHash, b.plateHash))
        .orderBy(desc(receipts.height), desc(receipts.id))
        .limit(receiptsPerPlate);
      return {
        plate: b.plate,
        kind: plateKind(b.plate) as 'ordinary' | 'newEnergy',
        boundAt: b.boundAt,
        open: open
          ? {
              id: open.id,
              lot: open.lot,
              entry: open.entry,
              entryGate: open.entryGate,
              tariffVersion: open.tariffVersion,
              paidFen: open.paidFen.toString(),
              /** The entry as the chain records it: the block and tx of the gate's entry. */
              height: open.height,
              txId: open.txId,
            }
          : null,
        receipts: paid.map(({ receipt: r, entry, exit }) => ({
          id: r.id,
          session: r.session,
          lot: r.lot,
          amount: fen(r.amount),
          time: r.time,
          refunded: r.refunded,
          entry,
          exit,
        })),
      };
    }),
  );
  return { limit: MAX_BOUND_PLATES, plates };
}
