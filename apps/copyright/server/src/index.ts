// @gongxin/copyright-server: the copyright app's server (works, content-code similarity, use checks,
// market listings, certificates and evidence capture). The web imports its router's type from here.
export { copyrightApp, copyrightMigrations, createCopyrightApp } from './app';
export { type CertificateData, certificatePdf } from './certificate/pdf';
export { CANDIDATE_BITS, computeCodes, SIMILAR_BITS, SimilarityIndex } from './codes';
export { anchorEvidence, receiptFor } from './evidence/anchor';
export { buildManifest, checkBundle } from './evidence/bundle';
export { EvidenceCapturer } from './evidence/capture';
export { type EvidenceReceipt, verifyEvidence } from './evidence/verify';
export { copyrightIndexer } from './indexer';
export { copyrightGenesis, DEMO_PARTIES, demoPartyAccounts } from './parties';
export type { AppRouter } from './router';
