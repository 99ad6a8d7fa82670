// An app the passport names (on the sign-in and consent page, in the profile's sessions, grants and
// roles): a suite app in the page's language (护照, 钱包 …), not by its client id; a third-party client by
// the name it registered, never by a suite app's name, whatever id it chose.
import { suiteAppName, type Translate } from '@gongxin/ui';

export interface AppNaming {
  /** The name a third-party client registered under; absent for the suite's own apps. */
  registered?: string | null;
  /** What to say when it is neither (a manifest's title, the name a client sent); else the id. */
  fallback?: string | null;
}

export function appName(id: string, naming: AppNaming, t: Translate): string {
  if (naming.registered) return naming.registered;
  return suiteAppName(id, t) ?? (naming.fallback || id);
}
