// The simulated disk: a write is durable when its promise resolves; at a crash, writes in flight are
// lost, torn (a WAL record whose checksum fails, dropped when read) or land; a block lands whole or not.
import type { WalRecord } from '@gongxin/consensus';
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/prng';
import { Scheduler } from '../src/scheduler';
import { Disk, MemoryStorage } from '../src/storage';

const signed = (height: number, round: number): WalRecord => ({
  type: 'signed',
  height,
  round,
  kind: 'prevote',
  hash: 'nil',
});

function setup(latency = 10) {
  const scheduler = new Scheduler();
  const disk = new Disk();
  const storage = new MemoryStorage(disk, {
    after: (ms, run) => scheduler.after(ms, run),
    writeLatency: () => latency,
  });
  const run = () => {
    while (scheduler.step()) {}
  };
  return { scheduler, disk, storage, run };
}

describe('simulated storage', () => {
  it('makes a write durable, and answers, only after its latency', async () => {
    const { disk, storage, run } = setup();
    let done = false;
    const write = storage.appendWal(signed(1, 0)).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    expect(disk.wal).toHaveLength(0);
    run();
    await write;
    expect(done).toBe(true);
    expect(await storage.walFor(1)).toEqual([signed(1, 0)]);
  });

  it('loses, tears or lands the writes in flight at a crash, and never answers them', async () => {
    const outcomes = { lost: 0, torn: 0, landed: 0 };
    for (let seed = 0; seed < 40; seed++) {
      const { disk, storage, run } = setup();
      const acknowledged = Promise.all([storage.appendWal(signed(1, 0)), storage.appendWal(signed(1, 1))]);
      run();
      await acknowledged;
      // One more in flight, and the crash.
      let answered = false;
      void storage.appendWal(signed(3, 0)).then(
        () => {
          answered = true;
        },
        () => {
          answered = true;
        },
      );
      const o = storage.crash(new Rng(seed), { torn: 0.3, landed: 0.3 });
      run();
      await Promise.resolve();
      expect(answered).toBe(false);
      expect(o.lost + o.torn + o.landed).toBe(1);
      outcomes.lost += o.lost;
      outcomes.torn += o.torn;
      outcomes.landed += o.landed;
      const restarted = new MemoryStorage(disk, { after: () => {}, writeLatency: () => 0 });
      // What was acknowledged is there; a torn record is dropped (and counted) when read.
      expect(await restarted.walFor(1)).toEqual([signed(1, 0), signed(1, 1)]);
      expect(await restarted.walFor(3)).toEqual(o.landed ? [signed(3, 0)] : []);
      expect(disk.tornRead).toBe(o.torn);
    }
    expect(outcomes.lost).toBeGreaterThan(0);
    expect(outcomes.torn).toBeGreaterThan(0);
    expect(outcomes.landed).toBeGreaterThan(0);
  });

  it('refuses writes after a crash: nothing the dead node asks for ever answers', async () => {
    const { disk, storage, run } = setup();
    storage.crash(new Rng(1), { torn: 0, landed: 0 });
    let answered = false;
    void storage.appendWal(signed(1, 0)).then(() => {
      answered = true;
    });
    run();
    await Promise.resolve();
    expect(answered).toBe(false);
    expect(disk.wal).toHaveLength(0);
  });
});
