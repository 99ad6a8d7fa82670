import { describe, expect, it } from 'vitest';
import { findUnstorableText, MAX_INPUT_DEPTH, unstorableText } from './input-guard';

describe('text PostgreSQL cannot store', () => {
  it('a NUL and lone surrogates, not paired ones or other control characters', () => {
    expect(unstorableText('a\u0000b')).toBe('contains a NUL character');
    expect(unstorableText('a\ud800')).toBe('contains a lone UTF-16 surrogate');
    expect(unstorableText('\udc00a')).toBe('contains a lone UTF-16 surrogate');
    expect(unstorableText('😀 共信 \t\n\u0001')).toBeUndefined();
  });

  it('names where in a nested value, keys included', () => {
    expect(findUnstorableText({ a: [1, { b: 'x\u0000' }] }, 'body')).toEqual({
      where: 'body.a[1].b',
      problem: 'contains a NUL character',
    });
    expect(findUnstorableText({ 'k\u0000': 1 }, 'body')?.where).toBe('body (a key)');
    expect(findUnstorableText({ a: ['ok', null, 3] }, 'body')).toBeUndefined();
  });

  it('refuses nesting past the limit instead of walking it', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < MAX_INPUT_DEPTH + 1; i++) deep = [deep];
    expect(findUnstorableText(deep, 'body')?.problem).toMatch(/nested deeper/);
    let fine: unknown = 'x';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) fine = [fine];
    expect(findUnstorableText(fine, 'body')).toBeUndefined();
  });
});
