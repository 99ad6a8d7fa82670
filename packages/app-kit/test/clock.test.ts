import { describe, expect, it } from 'vitest';
import { ClockError, createDeploymentClock } from '../src/clock';
import { onRehearsalClock, REHEARSAL_BEHIND_MS, startAppHarness } from '../src/testing';
import { notesApp } from './fixture/notes-app';

describe('deployment clock', () => {
  it('is the wall clock by default', () => {
    let wall = 1_000;
    const clock = createDeploymentClock({ wall: () => wall });
    expect(clock.now()).toBe(1_000);
    wall += 5;
    expect(clock.now()).toBe(1_005);
  });

  it('starts at a given instant and runs at the wall clock pace', () => {
    let wall = 1_000;
    const clock = createDeploymentClock({ start: 50_000, wall: () => wall });
    expect(clock.now()).toBe(50_000);
    wall += 250;
    expect(clock.now()).toBe(50_250);
  });

  it('moves forward, never back, and keeps running from there', () => {
    let wall = 0;
    const clock = createDeploymentClock({ start: 10_000, wall: () => wall, controllable: true });
    expect(clock.advanceTo(910_000)).toBe(910_000);
    wall += 10;
    expect(clock.now()).toBe(910_010);
    expect(() => clock.advanceTo(900_000)).toThrow(ClockError);
    expect(() => clock.advanceTo(Number.NaN)).toThrow(ClockError);
    expect(clock.now()).toBe(910_010);
  });

  it('does not go back when the wall clock steps back', () => {
    let wall = 5_000;
    const clock = createDeploymentClock({ wall: () => wall });
    expect(clock.now()).toBe(5_000);
    wall = 4_000;
    expect(clock.now()).toBe(5_000);
  });
});

describe('GET /<app>/api/clock on a deployment clock ten days behind the wall clock', () => {
  const rehearsal = onRehearsalClock(
    (clock) => startAppHarness(notesApp, { clock }),
    (h) => h.close(),
  );

  it('answers the clock the app reads (pages take their "now" from it), never cached', async () => {
    expect(rehearsal.behindMs).toBe(REHEARSAL_BEHIND_MS);
    const before = rehearsal.clock();
    const res = await fetch(`${rehearsal.harness.url}/notes/api/clock`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { now } = (await res.json()) as { now: number };
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(rehearsal.clock());
  });
});
