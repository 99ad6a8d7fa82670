// @gongxin/node: a validator or full node of the Gongxin chain.
export * from '@gongxin/consensus';
export * from './embedded';
export * from './export';
export * from './genesis';
export * from './keys';
export * from './mempool';
export * from './node';
export * from './p2p';
export * from './ports';
export * from './storage/store';
export * from './sync';
export * from './verify';
