// @gongxin/consensus: the Tendermint consensus machine, pure (no network, disk, clock or timers): inputs
// (proposals, votes, timeouts) in, outputs (persist, broadcast, schedule, decide) out. The node and the
// simulator drive the same code.
export * from './codec';
export * from './machine';
export * from './messages';
export * from './proposer';
export * from './votes';
