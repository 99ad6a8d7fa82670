// A bench worker thread's entry. Worker threads do not inherit the parent's module loader, so this
// registers tsx's loader before loading the bench itself from its TypeScript source.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
