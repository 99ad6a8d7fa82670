import { describe, expect, it } from 'vitest';
import { LruCache } from './lru';

describe('LruCache', () => {
  it('evicts the least recently used entry once over capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // "b" is now the oldest
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('creates a value only on a miss and never grows past capacity', () => {
    const cache = new LruCache<number, number>(100);
    let created = 0;
    for (let round = 0; round < 3; round++) {
      for (let key = 0; key < 100; key++) cache.getOrCreate(key, () => created++);
    }
    expect(created).toBe(100);
    for (let key = 100; key < 1000; key++) cache.getOrCreate(key, () => created++);
    expect(cache.size).toBe(100);
    expect(created).toBe(1000);
  });

  it('rejects a useless capacity', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
