// Sparkplug B as a second payload format of protocol v1: the same signed batch (the same readings,
// Merkle root and Ed25519 signature, so it verifies with verifyBatch) carried as a Sparkplug B payload
// (the Eclipse Tahu protobuf, encoded by `sparkplug-payload`), for gateways and meters that speak it.
//
// Topic: solar/v1/<shard>/<meter>/spb (the v1 layout; the last level names the format).
// Payload: uuid "gongxin-solar-v1", timestamp = the last reading's device time, seq = the first
// reading's seq mod 256 (Sparkplug's 0..255), and the metrics
//   meter (String), epoch (Int64), root (String), sig (String),
//   readings (DataSet; columns seq, ts, importWh, exportWh, power, voltage, temperature, irradiance,
//             all Int64; one row per reading, in seq order).
// Every other rule of a v1 batch holds (1..100 readings, consecutive seq, one 15-minute interval).
import { shardTopic } from '@gongxin/mqtt';
import sparkplug from 'sparkplug-payload';
import {
  type Batch,
  batchFromObject,
  MAX_BATCH_BYTES,
  ProtocolError,
  SHARDS,
  TOPIC_PREFIX,
} from './protocol';

const spb = sparkplug.get('spBv1.0')!;

export const SPARKPLUG_UUID = 'gongxin-solar-v1';
export const sparkplugTopic = (meter: string) => shardTopic(TOPIC_PREFIX, SHARDS, meter, 'spb');
const COLUMNS = [
  'seq',
  'ts',
  'importWh',
  'exportWh',
  'power',
  'voltage',
  'temperature',
  'irradiance',
] as const;

export function encodeSparkplugBatch(batch: Batch): Uint8Array {
  const last = batch.readings.at(-1)!;
  return spb.encodePayload({
    uuid: SPARKPLUG_UUID,
    timestamp: last.ts,
    seq: batch.readings[0]!.seq % 256,
    metrics: [
      { name: 'meter', type: 'String', value: batch.meter },
      { name: 'epoch', type: 'Int64', value: batch.epoch },
      { name: 'root', type: 'String', value: batch.root },
      { name: 'sig', type: 'String', value: batch.sig },
      {
        name: 'readings',
        type: 'DataSet',
        value: {
          numOfColumns: COLUMNS.length,
          columns: [...COLUMNS],
          types: COLUMNS.map(() => 'Int64' as const),
          rows: batch.readings.map((r) => COLUMNS.map((c) => r[c])),
        },
      },
    ],
  });
}

/** A protobuf number (number or Long) as a safe integer, or NaN (then the batch checks refuse it). */
function int(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && 'toString' in v) {
    const n = Number(String(v));
    return Number.isSafeInteger(n) ? n : Number.NaN;
  }
  return Number.NaN;
}

/** Parses a Sparkplug B batch strictly into a v1 batch; throws ProtocolError naming what is wrong. */
export function decodeSparkplugBatch(payload: Uint8Array): Batch {
  if (payload.length > MAX_BATCH_BYTES)
    throw new ProtocolError('too_large', `a batch is at most ${MAX_BATCH_BYTES} bytes`);
  let decoded: ReturnType<typeof spb.decodePayload>;
  try {
    decoded = spb.decodePayload(payload);
  } catch {
    throw new ProtocolError('malformed_payload', 'the batch is not a Sparkplug B payload');
  }
  if (decoded.uuid !== SPARKPLUG_UUID)
    throw new ProtocolError('version', `a Sparkplug B batch has uuid ${SPARKPLUG_UUID}`);
  const metric = (name: string) => {
    const found = (decoded.metrics ?? []).filter((m) => m.name === name);
    if (found.length !== 1) throw new ProtocolError('invalid_field', `${name}: exactly one metric`);
    return found[0]!;
  };
  const data = metric('readings').value as { columns?: string[]; rows?: unknown[][] } | null;
  if (!data || !Array.isArray(data.rows) || !Array.isArray(data.columns))
    throw new ProtocolError('invalid_field', 'readings: a DataSet');
  if (data.columns.join(',') !== COLUMNS.join(','))
    throw new ProtocolError('invalid_field', `readings: columns ${COLUMNS.join(', ')}`);
  return batchFromObject({
    v: 1,
    meter: metric('meter').value,
    epoch: int(metric('epoch').value),
    root: metric('root').value,
    sig: metric('sig').value,
    readings: data.rows.map((row) =>
      Object.fromEntries(COLUMNS.map((c, i) => [c, Array.isArray(row) ? int(row[i]) : Number.NaN])),
    ),
  });
}
