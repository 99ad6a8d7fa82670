// Parsing and redacting DATABASE_URL values.
// Must never return or log a URL with its password in it.

const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:']);

/** The URL with any password replaced by `***`; works on malformed input too (best effort). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      parsed.password = '***';
      return parsed.toString();
    }
  } catch {
    // Fall through: not parseable.
  }
  // No password found by the URL parser, or not a URL: a mistyped `scheme:/user:pw@host` parses
  // with the password inside the path, so check the raw text as well.
  return redactUnparseable(url);
}

// Best effort on raw text: everything between the first ':' after the scheme and the last '@' is treated
// as the password (passwords may contain '@'); may over-redact odd URLs, never under-redacts.
function redactUnparseable(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:(\/\/)?/i.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  if (at === -1 || colon === -1 || colon > at) return url;
  return `${scheme}${rest.slice(0, colon)}:***${rest.slice(at)}`;
}

/** The password embedded in the URL, if any, so driver messages can be scrubbed of it too. */
export function passwordOf(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}

/** Why `url` cannot be a PostgreSQL connection URL, or undefined when it looks fine. */
export function postgresUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL (expected postgres://user:password@host:5432/database)';
  }
  if (!POSTGRES_PROTOCOLS.has(parsed.protocol)) {
    return `unsupported scheme "${parsed.protocol.replace(/:$/, '')}" (expected postgres:// or postgresql://)`;
  }
  return undefined;
}
