// The validators' names are one load shared by every caller, and a failed load is tried again only after
// a wait that doubles (2 s, 4 s, … up to a minute), not by every line that renders meanwhile.
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const list = vi.hoisted(() => vi.fn());
vi.mock('./api', () => ({ api: { validators: { list: { query: list } } } }));

import { resetValidatorNames, useValidatorNames } from './validator-names';

const key = 'ab'.repeat(32);
const T0 = 1_795_537_426_000;

beforeEach(() => {
  resetValidatorNames();
  list.mockReset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

/** Many lines rendering, each asking for the names, with the answers between them settled. */
async function lines(n: number) {
  let name: string | undefined;
  for (let i = 0; i < n; i++) {
    name = useValidatorNames()(key);
    await flushPromises();
  }
  return name;
}

describe('validator names', () => {
  it('are loaded once for every line, again after a minute', async () => {
    list.mockResolvedValue({ validators: [{ key: key.toUpperCase(), name: '上海节点' }] });
    expect(await lines(20)).toBe('上海节点');
    expect(list).toHaveBeenCalledTimes(1);
    vi.setSystemTime(T0 + 59_000);
    await lines(5);
    expect(list).toHaveBeenCalledTimes(1);
    vi.setSystemTime(T0 + 61_000);
    await lines(5);
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('after a failure, are asked for again only after a wait that doubles', async () => {
    list.mockRejectedValue(new Error('offline'));
    expect(await lines(30)).toBeUndefined();
    expect(list).toHaveBeenCalledTimes(1);
    vi.setSystemTime(T0 + 1_900);
    await lines(10);
    expect(list).toHaveBeenCalledTimes(1);
    vi.setSystemTime(T0 + 2_000);
    await lines(10);
    expect(list).toHaveBeenCalledTimes(2);
    // The second failure waits 4 s.
    vi.setSystemTime(T0 + 5_900);
    await lines(10);
    expect(list).toHaveBeenCalledTimes(2);
    vi.setSystemTime(T0 + 6_000);
    list.mockResolvedValue({ validators: [{ key, name: '上海节点' }] });
    expect(await lines(10)).toBe('上海节点');
    expect(list).toHaveBeenCalledTimes(3);
  });

  it('wait at most a minute between tries', async () => {
    list.mockRejectedValue(new Error('offline'));
    let at = T0;
    for (let i = 0; i < 10; i++) {
      await lines(1);
      at += Math.min(60_000, 2_000 * 2 ** i);
      vi.setSystemTime(at);
    }
    expect(list).toHaveBeenCalledTimes(10);
    await lines(3);
    expect(list).toHaveBeenCalledTimes(11);
    vi.setSystemTime(at + 59_999);
    await lines(3);
    expect(list).toHaveBeenCalledTimes(11);
    vi.setSystemTime(at + 60_000);
    await lines(3);
    expect(list).toHaveBeenCalledTimes(12);
  });
});
