// @gongxin/iscc: ISCC content codes (ISO 24138) in TypeScript for Node and browsers, and a Hamming
// index for finding near-duplicates among millions of 64-bit codes. Pure computation: no I/O beyond
// reading the bytes it is handed.

export type { ByteSource } from './_input';
export * from './codec';
export * from './data';
export * from './image';
export * from './instance';
export { compressMinhash, minhash, minhash256 } from './minhash';
export * from './similarity';
export * from './text';
export * from './version';
