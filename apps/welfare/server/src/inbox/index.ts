// An inbox any suite app can mount: messages between two signed-in passport accounts in both
// directions (an officer and a recipient), a list per person, the unread count and marking as read.
// The app gives its table (messagesTable of its schema) and says who may write to whom; the sub-router
// is then `inbox: inboxRouter(...)` in its tRPC router.

import { appError } from '@gongxin/app-kit';
import type { Db } from '@gongxin/db';
import { and, count, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import type { MessagesTable } from './table';

export { messagesTable } from './table';

export const MAX_MESSAGE_CHARS = 2000;

export interface Message {
  id: string;
  sender: string;
  recipient: string;
  topic: string | null;
  body: string;
  seq: number;
  sentAt: number;
  readAt: number | null;
}

/** The inbox's operations on one table, for a signed-in account `me`. */
export function inbox(db: Db, table: MessagesTable) {
  return {
    async send(me: string, to: string, body: string, topic: string | null, now: number): Promise<Message> {
      const text = body.trim();
      if (!text) throw appError('BAD_REQUEST', 'message_empty', {}, 'body: a message needs words');
      if (to === me) throw appError('BAD_REQUEST', 'message_to_self', {}, 'to: not to yourself');
      const [row] = await db
        .insert(table)
        .values({ sender: me, recipient: to, topic, body: text, sentAt: now })
        .returning();
      return row as Message;
    },
    /** Received and sent, newest first; `with` narrows to the conversation with one account. */
    async list(me: string, opts: { with?: string; limit: number; unread?: boolean }): Promise<Message[]> {
      const mine = or(eq(table.recipient, me), eq(table.sender, me));
      const conds = [
        opts.with
          ? or(
              and(eq(table.recipient, me), eq(table.sender, opts.with)),
              and(eq(table.sender, me), eq(table.recipient, opts.with)),
            )
          : mine,
        ...(opts.unread ? [eq(table.recipient, me), isNull(table.readAt)] : []),
      ];
      return (await db
        .select()
        .from(table)
        .where(and(...conds))
        .orderBy(desc(table.seq))
        .limit(opts.limit)) as Message[];
    },
    async unread(me: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(table)
        .where(and(eq(table.recipient, me), isNull(table.readAt)));
      return row?.n ?? 0;
    },
    /** Marks messages received by `me` as read; others' messages are left alone. Answers how many changed. */
    async markRead(me: string, ids: string[], now: number): Promise<number> {
      if (ids.length === 0) return 0;
      const changed = await db
        .update(table)
        .set({ readAt: now })
        .where(and(inArray(table.id, ids), eq(table.recipient, me), isNull(table.readAt)))
        .returning({ id: table.id });
      return changed.length;
    },
  };
}

export const zAccount = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[0-9A-Za-z:_.-]+$/, 'an account address');

export const inboxInputs = {
  send: z
    .object({
      to: zAccount,
      body: z.string().min(1).max(MAX_MESSAGE_CHARS),
      topic: z.string().min(1).max(128).optional(),
    })
    .strict(),
  list: z
    .object({
      with: zAccount.optional(),
      unread: z.boolean().optional(),
      limit: z.number().int().min(1).max(200).default(50),
    })
    .strict()
    .default({ limit: 50 }),
  markRead: z.object({ ids: z.array(z.string().uuid()).min(1).max(200) }).strict(),
};
