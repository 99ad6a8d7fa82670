// @gongxin/channel-node: the superconducting network's channel node with real I/O (see docs/channels.md):
// the machine of @gongxin/channels over a group-committed PostgreSQL/PGlite log, authenticated WebSocket
// links and the chain through the client SDK. Apps embed `ChannelNodeRuntime`; `gongxin-channels start`
// runs one as a process with a small HTTP API;
// `gongxin-channels watch` runs a watcher service that defends nodes while they are offline.
export * from './api';
export * from './chain';
export * from './codec';
export * from './links';
export * from './log';
export * from './metrics';
export * from './runtime';
export * from './watch';
