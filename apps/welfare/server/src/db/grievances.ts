// Grievance (申诉) tables: the read model of the chain's grievances (written only by the indexer) and, off
// chain, the words of grievances and answers keyed by their SHA-256 (what the chain holds).
import type { PgSchema } from 'drizzle-orm/pg-core';
import { bigint, boolean, index, integer, text } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });

export function grievanceTables(schema: PgSchema<string>) {
  const grievances = schema.table(
    'grievances',
    {
      id: text('id').primaryKey(),
      household: text('household').notNull(),
      area: text('area').notNull(),
      category: text('category').notNull(),
      textHash: text('text_hash').notNull(),
      attachment: text('attachment'),
      decision: text('decision'),
      filedBy: text('filed_by').notNull(),
      deadline: ms('deadline').notNull(),
      answerHash: text('answer_hash'),
      upheld: boolean('upheld'),
      late: boolean('late'),
      answeredBy: text('answered_by'),
      answeredAt: ms('answered_at'),
      height: integer('height').notNull(),
      txId: text('tx_id').notNull(),
      time: ms('time').notNull(),
    },
    (t) => [index('grievances_area').on(t.area), index('grievances_filed_by').on(t.filedBy)],
  );
  const grievanceTexts = schema.table('grievance_texts', {
    hash: text('hash').primaryKey(),
    body: text('body').notNull(),
    author: text('author').notNull(),
    createdAt: ms('created_at').notNull(),
  });
  return { grievances, grievanceTexts };
}
