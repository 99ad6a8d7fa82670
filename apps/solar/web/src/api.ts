// The solar app's own tRPC API (same origin) and the types of its answers.
import type { AppRouter } from '@gongxin/solar-server';
import { createAppTrpc } from '@gongxin/ui';

export const api = createAppTrpc<AppRouter>('/solar/api/trpc');

export type PlantDetail = {
  plant: Record<string, string | number | boolean>;
  meters: { id: string; key: string; txId: string; height: number }[];
  curve: { ts: number; meter: string; power: number; temperature: number; irradiance: number }[];
  forecast: { ts: number; power: number }[];
  intervals: {
    meter: string;
    start: number;
    exportWh: string;
    importWh: string;
    readings: number;
    root: string;
    reset: boolean;
    estimated: boolean;
    anchor: { revision: number; root: string; txId: string; height: number; estimated: boolean } | null;
  }[];
};
