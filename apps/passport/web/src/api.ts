// Passport's own tRPC API and the sign-in endpoints of its OpenID Provider (plain JSON: they live under
// the interaction's path so the browser sends oidc-provider's interaction cookie with them).
import type { AppRouter } from '@gongxin/passport-server';
import { createAppTrpc } from '@gongxin/ui';

export const api = createAppTrpc<AppRouter>('/passport/api/trpc');

export const OIDC_BASE = '/passport/oidc';

export interface InteractionDetails {
  uid: string;
  prompt: { name: 'login' | 'consent' | string; reasons: string[]; details: Record<string, unknown> };
  client: { id: string; name: string; firstParty: boolean };
  scopes: string[];
  accountId: string | null;
  demo: boolean;
}

/** A refused sign-in step: `code` is one of passport's login codes (see login.errors in the locales). */
export class InteractionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'InteractionError';
  }
}

async function call<T>(uid: string, step: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(`${OIDC_BASE}/interaction/${encodeURIComponent(uid)}${step}`, {
    method: init?.method ?? 'GET',
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(init?.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(init?.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    throw new InteractionError(
      data?.error?.code ?? 'interaction_not_found',
      data?.error?.message ?? res.statusText,
      res.status,
    );
  }
  return data as T;
}

export const interaction = {
  details: (uid: string) => call<InteractionDetails>(uid, '/details'),
  challenge: (uid: string) =>
    call<{ uid: string; challenge: string; expiresAt: string }>(uid, '/challenge', { method: 'POST' }),
  login: (uid: string, body: { address: string; publicKey: string; signature: string; challenge: string }) =>
    call<{ redirectTo: string }>(uid, '/login', { method: 'POST', body }),
  confirm: (uid: string) => call<{ redirectTo: string }>(uid, '/confirm', { method: 'POST', body: {} }),
  abort: (uid: string) => call<{ redirectTo: string }>(uid, '/abort', { method: 'POST', body: {} }),
};
