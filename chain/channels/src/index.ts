// @gongxin/channels: the superconducting network's protocol as pure parts (see docs/channels.md): the
// channel node's state machine, the watcher, routing over the channel graph. The simulator in src/sim
// drives them with a seeded network and the real channels contract.
export * from './checkpoint';
export * from './machine';
export * from './messages';
export * from './record';
export * from './routing';
export * from './watcher';
