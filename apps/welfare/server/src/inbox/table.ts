// The inbox's table: messages between two passport accounts, off chain (their words are personal), in
// the schema of the app that mounts the inbox. Read by drizzle-kit: no driver imports here.
import type { PgSchema } from 'drizzle-orm/pg-core';
import { bigint, index, text, uuid } from 'drizzle-orm/pg-core';

/** The messages table of an app's schema (`welfare.messages` for the welfare app). */
export function messagesTable(schema: PgSchema<string>) {
  return schema.table(
    'messages',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      /** Order of arrival (two messages may share a millisecond). */
      seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
      /** Passport account of the sender and of the recipient. */
      sender: text('sender').notNull(),
      recipient: text('recipient').notNull(),
      /** What the message is about, e.g. a household file or a grievance id; free for the app. */
      topic: text('topic'),
      body: text('body').notNull(),
      sentAt: bigint('sent_at', { mode: 'number' }).notNull(),
      readAt: bigint('read_at', { mode: 'number' }),
    },
    (t) => [
      index('messages_recipient').on(t.recipient, t.sentAt),
      index('messages_sender').on(t.sender, t.sentAt),
    ],
  );
}

export type MessagesTable = ReturnType<typeof messagesTable>;
