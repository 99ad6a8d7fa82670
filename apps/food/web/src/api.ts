// The food app's own tRPC API (same origin, with the `gx_food` session cookie) and the types of its answers.
import type { AppRouter } from '@gongxin/food-server';
import { createAppTrpc } from '@gongxin/ui';

export const api = createAppTrpc<AppRouter>('/food/api/trpc');

export type Lineage = Awaited<ReturnType<typeof api.trace.lineage.query>>;
export type TimelineItem = Awaited<ReturnType<typeof api.trace.timeline.query>>[number];
export type AlertItem = Awaited<ReturnType<typeof api.alerts.list.query>>[number];
