export * from './generate';
export * from './headers';
export * from './join';
export * from './peer-source';
export * from './proofs';
export * from './server';
export * from './snapshot';
export * from './state-sync';
