// Peer links: authenticated WebSocket links, gossip and block sync (docs/p2p.md).

export * from './block-sync';
export * from './gossip';
export * from './handshake';
export * from './link';
export * from './network';
export * from './peer-links';
export * from './seen';
export * from './wire';
