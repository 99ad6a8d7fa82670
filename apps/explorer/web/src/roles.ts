// Roles in words. An identity role is `app/role` (`parking/operator`): the app's name and the role's, in
// the page's language; a role the messages do not know keeps its key after the app's name. An activity
// role is the event attribute naming the account (from, to, owner…): read as the event's own word for it
// where the messages have one (a copyright transfer's `from` is the previous rights holder, not a payer),
// as the attribute's usual word otherwise. An authority's scopes are app ids.
import { suiteAppName } from '@gongxin/ui';
import { useI18n } from 'vue-i18n';

/** Where an activity role's word is looked up, the event's own first: `explorer.eventRoles.<contract>.<event>.<role>`. */
export function activityRoleKeys(role: string, event?: { contract: string; name: string }): string[] {
  const general = `explorer.roles.${role}`;
  return event ? [`explorer.eventRoles.${event.contract}.${event.name}.${role}`, general] : [general];
}

export function useRoleNames() {
  const { t, te, locale } = useI18n();
  // The app names the ui kit's decoders use, one set for the suite.
  const appName = (app: string) => suiteAppName(app, (key, named) => t(key, named ?? {})) ?? app;
  const identityRole = (entry: string) => {
    const at = entry.indexOf('/');
    if (at < 0) return entry;
    const app = entry.slice(0, at);
    const role = entry.slice(at + 1);
    const key = `explorer.appRoles.${app}.${role}`;
    return `${appName(app)} · ${te(key) ? t(key) : role}`;
  };
  /** The account's part in an event (the event it is named in, when there is one). */
  const eventRole = (role: string, event?: { contract: string; name: string }) => {
    const key = activityRoleKeys(role, event).find((k) => te(k));
    return key ? t(key) : role;
  };
  /** An authority's scopes by app name: `身份认证、智慧停车`, `Identity, Smart parking`. */
  const scopesText = (scopes: readonly string[]) =>
    scopes.map(appName).join(locale.value.startsWith('zh') ? '、' : ', ');
  return { appName, identityRole, eventRole, scopesText };
}
