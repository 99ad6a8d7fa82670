// An app's tabs, some of them for staff: a tab that names roles is hidden from a signed-in person who
// holds none of them (a citizen does not see the caseworkers' workbench), and shown to visitors who have
// not signed in yet, so staff find their way to the sign-in. The server checks every call regardless.
import { type ComputedRef, computed, type MaybeRefOrGetter, toValue } from 'vue';
import { useAuth } from './store';

export interface AppTab {
  readonly key: string;
  readonly path: string;
  /** Roles of this app, any of which shows the tab to a signed-in person; none: open to all. */
  readonly roles?: readonly string[];
}

/** The tabs this person should see, following the session (and the tabs, given as a getter) as they change. */
export function useRoleTabs<T extends AppTab>(
  tabs: MaybeRefOrGetter<readonly T[]>,
  appId?: string,
): ComputedRef<T[]> {
  const auth = useAuth(appId);
  return computed(() =>
    toValue(tabs).filter(
      (tab) => !tab.roles || !auth.me || tab.roles.some((role) => auth.hasRole(auth.appId, role)),
    ),
  );
}
