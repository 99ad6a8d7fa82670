// The welfare app's own tRPC API (same origin, with its session cookie) and the types of its answers.

import { createAppTrpc } from '@gongxin/ui';
import type { AppRouter } from '@gongxin/welfare-server';

export const api = createAppTrpc<AppRouter>('/welfare/api/trpc');

export type Aggregate = Awaited<ReturnType<typeof api.public.aggregate.query>>;
export type MyPayment = Awaited<ReturnType<typeof api.me.payments.query>>[number];
export type ApplicationRow = Awaited<ReturnType<typeof api.applications.list.query>>[number];
export type InboxMessage = Awaited<ReturnType<typeof api.messages.list.query>>[number];
export type GrievanceRow = Awaited<ReturnType<typeof api.grievances.mine.query>>[number];
export type BatchPayment = Awaited<ReturnType<typeof api.cycles.batch.query>>[number];
export type AlertRow = Awaited<ReturnType<typeof api.alerts.list.query>>[number];
