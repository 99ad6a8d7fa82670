// @gongxin/parking-gate: the lot controller program (and the pieces the parking server shares with it:
// the event envelope, topic layout and plate rules).
export * from './buffer';
export * from './event';
export * from './fleet';
export * from './gate';
export * from './plate';
