// The food app's domain: GS1 identifiers, EPCIS 2.0 validation and event hashes, traceability, alert
// rules and the on-chain anchor of an event. Pure modules (no database, no network); the server wires
// them to storage and the chain.
export * from './alerts';
export * from './anchor';
export * from './cbv';
export * from './epcis';
export * from './event-hash';
export * from './gs1';
export * from './json-depth';
export * from './labels';
export * from './trace';
