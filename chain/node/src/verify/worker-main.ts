// The verifier thread: the chain's suite (the same Node entry the node uses), answering packed batches
// of signature checks with one verdict byte each.
import { parentPort, workerData } from 'node:worker_threads';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { verifyPacked } from './pool';

const suite = getSuite((workerData as { suite: Parameters<typeof getSuite>[0] }).suite);

parentPort?.on('message', (m: { id: number; buffer: ArrayBuffer; count: number }) => {
  try {
    const start = performance.now();
    const ok = verifyPacked(m.buffer, m.count, (s, msg, k) => suite.verify(s, msg, k));
    const busyMs = performance.now() - start;
    parentPort?.postMessage({ id: m.id, ok, busyMs }, [ok.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({ id: m.id, error: error instanceof Error ? error.message : String(error) });
  }
});
