// Pages (the portal's and passport's demo-account lists) name each role by its app's title and the role's label, as the apps'
// manifests give them, with the code beside; a role no mounted app defines keeps its code.

import { describe, expect, it } from 'vitest';
import { roleInWords } from '../src/roles';
import type { SuiteAppInfo } from '../src/services';

const welfare = {
  id: 'welfare',
  path: '/welfare/',
  title: { 'zh-CN': '最低生活保障', en: 'Minimum living allowance' },
  roles: [{ id: 'caseworker', label: { 'zh-CN': '街道/乡镇经办人', en: 'Case worker' } }],
} as unknown as SuiteAppInfo;

describe('roleInWords', () => {
  it("names a role by its app's title and its own label, the code beside", () => {
    expect(roleInWords([welfare], { app: 'welfare', role: 'caseworker' })).toEqual({
      code: 'welfare:caseworker',
      app: { 'zh-CN': '最低生活保障', en: 'Minimum living allowance' },
      role: { 'zh-CN': '街道/乡镇经办人', en: 'Case worker' },
    });
  });

  it('keeps the code of a role no mounted app defines', () => {
    expect(roleInWords([welfare], { app: 'notes', role: 'scribe' })).toEqual({
      code: 'notes:scribe',
      app: { 'zh-CN': 'notes', en: 'notes' },
      role: { 'zh-CN': 'scribe', en: 'scribe' },
    });
    expect(roleInWords([welfare], { app: 'welfare', role: 'auditor' }).role).toEqual({
      'zh-CN': 'auditor',
      en: 'auditor',
    });
  });
});
