// Public API of @gongxin/solar-meter: the wire protocol, the gateway, adapters, the simulated plant and fleet mode.
export * from './adapter';
export * from './buffer';
export * from './fleet';
export * from './gateway';
export * from './keys';
export * from './protocol';
export * from './simulator';
