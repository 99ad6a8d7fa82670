// The explorer's typed client for its server (only the router's type crosses from server to web), and
// the answer types the pages use.
import type { AppRouter } from '@gongxin/explorer-server';
import { createAppTrpc } from '@gongxin/ui';

export const api = createAppTrpc<AppRouter>('/explorer/api/trpc');

type Answer<T extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;

export type HealthAnswer = Answer<typeof api.health.query>;
export type BlockListAnswer = Answer<typeof api.blocks.latest.query>;
export type BlockAnswer = Answer<typeof api.blocks.get.query>;
export type TxListAnswer = Answer<typeof api.txs.latest.query>;
export type TxAnswer = Answer<typeof api.txs.get.query>;
export type AccountAnswer = Answer<typeof api.accounts.get.query>;
export type AssetAnswer = Answer<typeof api.assets.get.query>;
export type AssetListAnswer = Answer<typeof api.assets.list.query>;
export type DidAnswer = Answer<typeof api.dids.get.query>;
export type ValidatorsAnswer = Answer<typeof api.validators.list.query>;
export type SearchAnswer = Answer<typeof api.search.query>;
export type TxListItem = TxListAnswer['items'][number];
export type ActivityItem = AccountAnswer['activity']['items'][number];
export type EventSummary = TxListItem['events'][number];
export type ProposalsAnswer = Answer<typeof api.members.proposals.query>;
export type ProposalItem = ProposalsAnswer['proposals'][number];
export type MemberValidatorsAnswer = Answer<typeof api.members.validators.query>;
export type NodesAnswer = Answer<typeof api.members.nodes.query>;
