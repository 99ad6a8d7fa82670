// The welfare app's inbox (src/inbox): officers and recipients write to each other. A welfare officer
// (any staff role on chain) may write to anyone; anyone else signed in may write to a welfare officer,
// or answer someone who has written to them. Each person sees only their own messages.
import { clockOf } from '@gongxin/app-kit';
import { ChainError } from '@gongxin/client';
import { identityKeys } from '@gongxin/contracts';
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { messages } from './db/schema';
import { inbox, inboxInputs } from './inbox';
import { protectedProcedure, router } from './trpc';

const STAFF_ROLES = ['admin', 'caseworker', 'reviewer', 'treasurer', 'auditor'];

export const messagesRouter = router({
  send: protectedProcedure.input(inboxInputs.send).mutation(async ({ ctx, input }) => {
    const me = ctx.user.address;
    const isOfficer = async (address: string) => {
      for (const role of STAFF_ROLES) {
        try {
          await ctx.services.chain.client.state(identityKeys.role(address, 'welfare', role));
          return true;
        } catch (error) {
          if (error instanceof ChainError && error.code === 'not_found') continue;
          if (error instanceof ChainError)
            throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message });
          throw error;
        }
      }
      return false;
    };
    const db = ctx.services.database.db;
    const mayWrite =
      ctx.user.roles.some((r) => r.app === 'welfare' && STAFF_ROLES.includes(r.role)) ||
      (await isOfficer(input.to)) ||
      (
        await db
          .select({ id: messages.id })
          .from(messages)
          .where(and(eq(messages.sender, input.to), eq(messages.recipient, me)))
          .limit(1)
      ).length > 0;
    if (!mayWrite)
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: 'write to a welfare officer, or answer a message you were sent',
      });
    return inbox(db, messages).send(me, input.to, input.body, input.topic ?? null, clockOf(ctx.services)());
  }),
  list: protectedProcedure.input(inboxInputs.list).query(({ ctx, input }) =>
    inbox(ctx.services.database.db, messages).list(ctx.user.address, {
      limit: input.limit,
      ...(input.with && { with: input.with }),
      ...(input.unread && { unread: true }),
    }),
  ),
  unread: protectedProcedure.query(async ({ ctx }) => ({
    unread: await inbox(ctx.services.database.db, messages).unread(ctx.user.address),
  })),
  markRead: protectedProcedure.input(inboxInputs.markRead).mutation(async ({ ctx, input }) => ({
    marked: await inbox(ctx.services.database.db, messages).markRead(
      ctx.user.address,
      input.ids,
      clockOf(ctx.services)(),
    ),
  })),
});
