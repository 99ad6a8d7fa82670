import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockSession } from '../testing/fetch-mock';
import type { SessionUser } from './store';
import { useAuth } from './store';
import { useRoleTabs } from './tabs';

const TABS = [
  { key: 'public', path: '/' },
  { key: 'workbench', path: '/workbench', roles: ['caseworker', 'reviewer'] },
  { key: 'cycles', path: '/cycles', roles: ['treasurer'] },
] as const;

const person = (roles: SessionUser['roles']): SessionUser => ({
  did: 'did:gx:gx1someone',
  address: 'gx1someone',
  roles,
  name: '张三',
  sessionId: 's1',
});

let session: SessionUser | null;
beforeEach(() => {
  setActivePinia(createPinia());
  mockSession('welfare', () => session);
});
afterEach(() => vi.unstubAllGlobals());

const keys = async () => {
  const tabs = useRoleTabs(TABS, 'welfare');
  await useAuth('welfare').refresh();
  return tabs.value.map((t) => t.key);
};

describe('useRoleTabs', () => {
  it('shows every tab before sign-in, so staff find their way to it', async () => {
    session = null;
    expect(await keys()).toEqual(['public', 'workbench', 'cycles']);
  });

  it('hides the staff tabs from a citizen, and shows a staff member the tabs of their roles only', async () => {
    session = person([{ app: 'passport', role: 'officer' }]);
    expect(await keys()).toEqual(['public']);
    setActivePinia(createPinia());
    session = person([{ app: 'welfare', role: 'reviewer' }]);
    expect(await keys()).toEqual(['public', 'workbench']);
    setActivePinia(createPinia());
    // The same role name in another app does not count.
    session = person([{ app: 'parking', role: 'treasurer' }]);
    expect(await keys()).toEqual(['public']);
    setActivePinia(createPinia());
    session = person([{ app: 'welfare', role: 'treasurer' }]);
    expect(await keys()).toEqual(['public', 'cycles']);
  });
});
