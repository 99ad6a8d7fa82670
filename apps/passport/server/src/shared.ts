// What the passport web may import at run time: pure, isomorphic helpers (no Node built-ins).
export * from './idNumber';
export * from './messages';
