// Suite apps named in words, one set of names for the sign dialog, the explorer and the passport.
import { describe, expect, it } from 'vitest';
import { suiteTranslator } from '../testing/suite-translator';
import { scopesInWords, suiteAppName } from './governance';

describe('suiteAppName', () => {
  it("names a suite app in the page's language and nothing else", () => {
    expect(suiteAppName('wallet', suiteTranslator('zh-CN'))).toBe('钱包');
    expect(suiteAppName('parking', suiteTranslator('en'))).toBe('Smart parking');
    expect(suiteAppName('c-3f9a', suiteTranslator('zh-CN'))).toBeUndefined();
    // A key of the messages that is not an app is not mistaken for one.
    expect(suiteAppName('voteYes', suiteTranslator('zh-CN'))).toBeUndefined();
  });

  it("reads an authority's scopes by app name, others as they are", () => {
    expect(scopesInWords(['identity', 'parking', 'x-new'], suiteTranslator('zh-CN'), 'zh-CN')).toBe(
      '身份认证、智慧停车、x-new',
    );
  });
});
