// The kinds of history rows: imported by the schema (drizzle-kit) and the browser, so no imports here.

export const HISTORY_KINDS = [
  'issue',
  'mint',
  'transfer',
  'burn',
  'packet_create',
  'packet_claim',
  'packet_refund',
  'lock',
  'unlock',
  'freeze',
  'unfreeze',
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export const DIRECTIONS = ['in', 'out', 'none'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const PACKET_STATUSES = ['open', 'emptied', 'refunded'] as const;
export type PacketStatus = (typeof PACKET_STATUSES)[number];
