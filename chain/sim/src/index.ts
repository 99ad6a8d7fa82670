// @gongxin/sim: the deterministic simulator of Gongxin's consensus (see docs/simulator.md).
export * from './checker';
export * from './command-line';
export * from './crypto';
export * from './network';
export * from './node';
export * from './prng';
export * from './scenario';
export * from './scheduler';
export * from './simulation';
export * from './trace';
export * from './world';
