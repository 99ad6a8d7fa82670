// MQTT wildcard semantics the dispatcher and the embedded broker's shared subscriptions rely on.

import { describe, expect, it } from 'vitest';
import { parseSharedFilter, topicMatches } from '../src/topic';

describe('topicMatches', () => {
  it.each([
    ['meters/m1/reading', 'meters/m1/reading', true],
    ['meters/m1/reading', 'meters/m2/reading', false],
    ['meters/+/reading', 'meters/m1/reading', true],
    ['meters/+/reading', 'meters/m1/status', false],
    ['meters/+/reading', 'meters/m1/reading/extra', false],
    ['meters/+', 'meters/', true], // + matches an empty level
    ['+/+', '/', true],
    ['+', 'a/b', false],
    ['meters/#', 'meters', true], // # includes the parent level
    ['meters/#', 'meters/m1/reading', true],
    ['meters/#', 'gates/g1', false],
    ['#', 'anything/at/all', true],
    ['meters/m1', 'meters/m1/', false],
    ['meters/m1/', 'meters/m1', false],
    ['Meters/m1', 'meters/m1', false], // case-sensitive
  ])('%s vs %s -> %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it('keeps leading wildcards away from $ topics', () => {
    expect(topicMatches('#', '$SYS/broker/uptime')).toBe(false);
    expect(topicMatches('+/broker/uptime', '$SYS/broker/uptime')).toBe(false);
    expect(topicMatches('$SYS/#', '$SYS/broker/uptime')).toBe(true);
    expect(topicMatches('$SYS/+/uptime', '$SYS/broker/uptime')).toBe(true);
  });

  it('strips the $share/<group>/ prefix', () => {
    expect(topicMatches('$share/ingest/meters/+/reading', 'meters/m1/reading')).toBe(true);
    expect(topicMatches('$share/ingest/meters/#', 'meters/m1/reading')).toBe(true);
    expect(topicMatches('$share/ingest/meters/+/reading', 'gates/g1/reading')).toBe(false);
    expect(topicMatches('$share/ingest/#', '$SYS/x')).toBe(false);
    // The group is not part of the topic.
    expect(topicMatches('$share/meters/+', 'meters/m1')).toBe(false);
    expect(topicMatches('$share/meters/+', 'm1')).toBe(true);
  });

  it('matches nothing for a malformed shared filter', () => {
    expect(topicMatches('$share/ingest', 'ingest')).toBe(false);
    expect(topicMatches('$share//meters', 'meters')).toBe(false);
    expect(topicMatches('$share/ingest/', 'anything')).toBe(false);
  });
});

describe('parseSharedFilter', () => {
  it('splits group and filter', () => {
    expect(parseSharedFilter('$share/ingest/meters/+/reading')).toEqual({
      group: 'ingest',
      filter: 'meters/+/reading',
    });
    expect(parseSharedFilter('$share/g/#')).toEqual({ group: 'g', filter: '#' });
  });

  it('rejects non-shared and malformed filters', () => {
    expect(parseSharedFilter('meters/+')).toBeNull();
    expect(parseSharedFilter('$share/ingest')).toBeNull();
    expect(parseSharedFilter('$share//meters')).toBeNull();
    expect(parseSharedFilter('$share/ingest/')).toBeNull();
    expect(parseSharedFilter('$share/in+/meters')).toBeNull();
    expect(parseSharedFilter('$share/#/meters')).toBeNull();
  });
});
