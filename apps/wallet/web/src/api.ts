// The wallet's own tRPC API (same origin, with the `gx_wallet` session cookie) and the types of its answers.

import { createAppTrpc } from '@gongxin/ui';
import type { AppRouter } from '@gongxin/wallet-server';

export const api = createAppTrpc<AppRouter>('/wallet/api/trpc');

export type Balance = Awaited<ReturnType<typeof api.balances.query>>[number];
export type HistoryPage = Awaited<ReturnType<typeof api.history.query>>;
export type HistoryItem = HistoryPage['items'][number];
export type MyAsset = Awaited<ReturnType<typeof api.assets.mine.query>>[number];
export type Packet = Awaited<ReturnType<typeof api.packets.get.query>>;
export type MyPackets = Awaited<ReturnType<typeof api.packets.mine.query>>;
