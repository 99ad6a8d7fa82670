// Who a signed-in person is, and the one format roles travel in: the `roles` claim passport puts into ID
// tokens and access tokens is an array of `"<app>:<role>"` strings (e.g. `"welfare:officer"`). Parsing
// must never grant more than the claim says: a malformed entry is dropped, never guessed at.
import type { LocalizedText, SuiteAppInfo } from './services';

/** The claims app-kit reads from passport's tokens (`sub` is the person's chain address). */
export const CLAIMS = { did: 'did', roles: 'roles', name: 'name' } as const;

/** Scopes every suite app asks for: `gongxin` carries `did` and `roles`, `profile` carries `name`. */
export const SUITE_SCOPES = 'openid profile gongxin';

export interface Role {
  app: string;
  role: string;
}

export interface SessionUser {
  /** The person's decentralised identifier, e.g. `did:gx:gx1…`. */
  did: string;
  /** Their chain address (the token's `sub`). */
  address: string;
  roles: Role[];
  name?: string;
  /** A non-secret handle of the session (never the cookie value), or `bearer:<jti>` for API tokens. */
  sessionId: string;
}

const APP = /^[a-z][a-z0-9_-]{0,62}$/;
const ROLE = /^[a-z][a-z0-9_.-]{0,62}$/;

/** `"welfare:officer"` → `{ app: 'welfare', role: 'officer' }`; undefined when malformed. */
export function parseRole(value: string): Role | undefined {
  const colon = value.indexOf(':');
  if (colon < 0) return undefined;
  const app = value.slice(0, colon);
  const role = value.slice(colon + 1);
  return APP.test(app) && ROLE.test(role) ? { app, role } : undefined;
}

export function formatRole(app: string, role: string): string {
  const formatted = `${app}:${role}`;
  if (!parseRole(formatted)) throw new Error(`"${formatted}" is not a valid role (app:role, lower case)`);
  return formatted;
}

/**
 * The roles of a `roles` claim. The canonical form is `string[]` of `"<app>:<role>"`; `{ app, role }`
 * objects are accepted too. Anything else (a string instead of an array, unknown shapes) yields no roles.
 */
export function parseRoles(claim: unknown): Role[] {
  if (!Array.isArray(claim)) return [];
  const roles: Role[] = [];
  const seen = new Set<string>();
  for (const entry of claim) {
    let role: Role | undefined;
    if (typeof entry === 'string') role = parseRole(entry);
    else if (entry && typeof entry === 'object') {
      const { app, role: name } = entry as { app?: unknown; role?: unknown };
      if (typeof app === 'string' && typeof name === 'string') role = parseRole(`${app}:${name}`);
    }
    if (role && !seen.has(`${role.app}:${role.role}`)) {
      seen.add(`${role.app}:${role.role}`);
      roles.push(role);
    }
  }
  return roles;
}

export function hasRole(
  user: Pick<SessionUser, 'roles'> | null | undefined,
  app: string,
  role: string,
): boolean {
  return user?.roles.some((r) => r.app === app && r.role === role) ?? false;
}

/** A role as pages show it: its app's title and the role's label from the manifests, the code beside. */
export interface RoleInWords {
  code: string;
  app: LocalizedText;
  role: LocalizedText;
}

/** `r` in words from the mounted apps' manifests; a role no mounted app defines keeps its code. */
export function roleInWords(apps: readonly SuiteAppInfo[], r: Role): RoleInWords {
  const code = `${r.app}:${r.role}`;
  const app = apps.find((a) => a.id === r.app);
  const label = app?.roles.find((x) => x.id === r.role)?.label;
  return {
    code,
    app: app?.title ?? { 'zh-CN': r.app, en: r.app },
    role: label ?? { 'zh-CN': r.role, en: r.role },
  };
}
