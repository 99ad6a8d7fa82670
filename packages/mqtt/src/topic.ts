// MQTT topic-filter matching shared by the client dispatcher and the embedded broker's shared
// subscriptions. Pure functions only: this module must never touch the network.

const SHARE_PREFIX = '$share/';

export interface SharedFilter {
  group: string;
  filter: string;
}

/**
 * Splits `$share/<group>/<filter>` into its parts; null when `filter` is not a (valid) shared
 * subscription. The group name may not contain wildcards and the inner filter may not be empty.
 */
export function parseSharedFilter(filter: string): SharedFilter | null {
  if (!filter.startsWith(SHARE_PREFIX)) return null;
  const rest = filter.slice(SHARE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const group = rest.slice(0, slash);
  const inner = rest.slice(slash + 1);
  if (group.includes('+') || group.includes('#') || inner === '') return null;
  return { group, filter: inner };
}

/**
 * True when `topic` matches the MQTT topic filter `filter` (`+` one level, `#` the rest
 * including the parent level). A `$share/<group>/` prefix is stripped first, because the broker
 * delivers shared messages under their real topic. Per the spec, filters starting with a
 * wildcard never match topics starting with `$` (e.g. `$SYS/...`).
 */
export function topicMatches(filter: string, topic: string): boolean {
  let effective = filter;
  if (filter.startsWith(SHARE_PREFIX)) {
    const shared = parseSharedFilter(filter);
    if (!shared) return false;
    effective = shared.filter;
  }
  if (topic.startsWith('$') && (effective.startsWith('+') || effective.startsWith('#'))) return false;

  const f = effective.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
