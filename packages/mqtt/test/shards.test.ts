// The ingest topic layout: the shard of a device must be the same in every process and language
// (publishers compute it too), and the workers' shares must cover every shard exactly once.

import { describe, expect, it } from 'vitest';
import { intervalOf } from '../src/ingest/pipeline';
import {
  allShardsFilter,
  fnv1a32,
  parseShardTopic,
  shardFilter,
  shardOf,
  shardsOfWorker,
  shardTopic,
} from '../src/ingest/shards';
import { topicMatches } from '../src/topic';

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes, not UTF-16 code units or Latin-1', () => {
    // FNV-1a over c3 a9 (UTF-8 of é); over the single Latin-1 byte e9 it would be 0x6c0b6c44.
    expect(fnv1a32('é')).toBe(0x1e9de8c1);
  });
});

describe('shard layout', () => {
  it('puts a device on one shard and builds its topic', () => {
    expect(shardOf('foobar', 64)).toBe(0xbf9cf968 % 64);
    expect(shardTopic('meters', 64, 'foobar', 'reading')).toBe(`meters/${0xbf9cf968 % 64}/foobar/reading`);
    expect(parseShardTopic('meters', shardTopic('meters', 64, 'foobar', 'reading'))).toEqual({
      shard: 0xbf9cf968 % 64,
      device: 'foobar',
      rest: ['reading'],
    });
  });

  it('refuses device ids and levels that would break the layout', () => {
    for (const bad of ['', 'a/b', 'm+', 'm#']) {
      expect(() => shardTopic('meters', 8, bad, 'reading')).toThrow(RangeError);
    }
    expect(() => shardTopic('meters', 8, 'm1', 'a/b')).toThrow(/one non-empty topic level/);
    expect(() => shardOf('m1', 0)).toThrow(/shard count/);
  });

  it('parses only topics in the layout', () => {
    expect(parseShardTopic('meters', 'meters/3')).toBeNull();
    expect(parseShardTopic('meters', 'meters/x/m1/reading')).toBeNull();
    expect(parseShardTopic('meters', 'meters/03/m1/reading')).toBeNull();
    expect(parseShardTopic('meters', 'gates/3/m1/reading')).toBeNull();
    expect(parseShardTopic('meters', 'meters/3//reading')).toBeNull();
    expect(parseShardTopic('meters', 'meters/3/m1')).toEqual({ shard: 3, device: 'm1', rest: [] });
  });

  it('gives every shard to exactly one worker', () => {
    for (const workers of [1, 2, 3, 5, 16]) {
      const all = Array.from({ length: workers }, (_, w) => shardsOfWorker(16, workers, w)).flat();
      expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    }
    expect(shardsOfWorker(8, 3, 1)).toEqual([1, 4, 7]);
    expect(() => shardsOfWorker(8, 9, 0)).toThrow(/workers must be/);
    expect(() => shardsOfWorker(8, 2, 2)).toThrow(/worker must be/);
  });

  it('has filters that match exactly their shard', () => {
    const topic = shardTopic('meters', 8, 'm1', 'reading');
    const shard = shardOf('m1', 8);
    expect(topicMatches(shardFilter('meters', shard), topic)).toBe(true);
    expect(topicMatches(shardFilter('meters', (shard + 1) % 8), topic)).toBe(false);
    expect(topicMatches(allShardsFilter('meters'), topic)).toBe(true);
  });
});

describe('intervalOf', () => {
  it('assigns by the reading time in UTC, start inclusive', () => {
    const t = Date.UTC(2026, 11, 4, 8, 15, 0);
    expect(intervalOf(t, 900_000)).toBe(t);
    expect(intervalOf(t - 1, 900_000)).toBe(t - 900_000);
    expect(intervalOf(t + 899_999, 900_000)).toBe(t);
  });
});
