// Liveness / face checks are done by an outside service in a real deployment (a government face-comparison
// service, a vendor SDK). Passport only needs this interface: begin a session (what the person is shown),
// then verify what came back. The DevelopmentVerifier that the embedded default uses PERFORMS NO REAL
// CHECK: it shows a code and passes when the same code is typed back. The API and the UI say so.
import { randomInt } from 'node:crypto';
import { sha256OfText } from './crypto';

/** What the browser shows the person, e.g. `{ kind: 'type-code', code: '4827' }`. */
export type LivenessPrompt = { readonly kind: string } & { readonly [field: string]: string | number };

export interface LivenessSession {
  readonly id: string;
  readonly address: string;
  readonly verifier: string;
  readonly prompt: LivenessPrompt;
  /** The verifier's own state for this session (a vendor token, the expected answer); never sent out. */
  readonly state: Record<string, string>;
  /** What the browser sent back (a typed code, a vendor result token). */
  readonly response: string;
}

export interface LivenessResult {
  readonly passed: boolean;
  /** 0..1: the verifier's confidence. */
  readonly score: number;
  /** Hash of the evidence the verifier relied on, kept with the application (never the evidence itself). */
  readonly evidenceHash: string;
}

export interface LivenessVerifier {
  readonly name: string;
  /** True for verifiers that check nothing real: shown in the API and UI as a warning. */
  readonly development: boolean;
  begin(address: string): Promise<{ prompt: LivenessPrompt; state: Record<string, string> }>;
  verify(session: LivenessSession): Promise<LivenessResult>;
}

/** For development and demos only: asks the person to type a shown 6-digit code. Verifies nothing. */
export class DevelopmentVerifier implements LivenessVerifier {
  readonly name = 'development';
  readonly development = true;

  async begin(): Promise<{ prompt: LivenessPrompt; state: Record<string, string> }> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    return { prompt: { kind: 'type-code', code }, state: { code } };
  }

  async verify(session: LivenessSession): Promise<LivenessResult> {
    const passed = session.response.trim() === session.state['code'];
    return {
      passed,
      score: passed ? 1 : 0,
      evidenceHash: sha256OfText(`development-verifier:${session.id}:${passed ? 'match' : 'mismatch'}`),
    };
  }
}
