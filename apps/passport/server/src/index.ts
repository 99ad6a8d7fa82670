// @gongxin/passport-server: identity, KYC attestation and single sign-on for the suite.
export { createPassportApp, passportApp } from './app';
export { loadPassportKeys, type PassportKeys, passportKeysFrom } from './crypto';
export { DEMO_PASSWORD, type DemoAccount, demoAccounts, type PassportGenesis, passportGenesis } from './demo';
export { checkResidentId, checkUscc, maskIdNumber, normalizeIdNumber } from './idNumber';
export {
  DevelopmentVerifier,
  type LivenessResult,
  type LivenessSession,
  type LivenessVerifier,
} from './liveness';
export { applyMessage, loginMessage } from './messages';
export type { AppRouter } from './router';
export { createPassportRuntime, type PassportOptions, type PassportRuntime } from './runtime';
