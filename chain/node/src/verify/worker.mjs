// A signature verifier thread's entry. Worker threads do not inherit the parent's module loader, so
// when the node runs from its TypeScript sources this registers the same loader before loading the
// verifier itself (worker-main.ts); a built node passes its compiled entry instead.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
