// Roles in words. An identity role is `app/role` (`parking/operator`): the app's name and the role's, in
// the page's language; a role the messages do not know keeps its key after the app's name. An activity
// role is the event attribute naming the account (from, to, owner…). An authority's scopes are app ids.
import { useI18n } from 'vue-i18n';

export function useRoleNames() {
  const { t, te, locale } = useI18n();
  const appName = (app: string) => (te(`explorer.apps.${app}`) ? t(`explorer.apps.${app}`) : app);
  const identityRole = (entry: string) => {
    const at = entry.indexOf('/');
    if (at < 0) return entry;
    const app = entry.slice(0, at);
    const role = entry.slice(at + 1);
    const key = `explorer.appRoles.${app}.${role}`;
    return `${appName(app)} · ${te(key) ? t(key) : role}`;
  };
  const eventRole = (role: string) => (te(`explorer.roles.${role}`) ? t(`explorer.roles.${role}`) : role);
  /** An authority's scopes by app name: `身份认证、智慧停车`, `Identity, Smart parking`. */
  const scopesText = (scopes: readonly string[]) =>
    scopes.map(appName).join(locale.value.startsWith('zh') ? '、' : ', ');
  return { appName, identityRole, eventRole, scopesText };
}
