// A node's clock and timers on simulated time: its clock runs at simulated time plus its skew, its timers
// at its own rate (a slow or fast crystal), and all of them die with the node when it crashes.
import type { TimerHandle, Timers } from '@gongxin/node';
import type { Scheduler } from './scheduler';

interface SimTimer {
  cancelled: boolean;
}

export class SimTimers implements Timers {
  /** False once the node crashed: no timer of this life fires again. */
  alive = true;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly base: number,
    private readonly skew: number,
    private readonly rate: number,
  ) {}

  now(): number {
    return this.base + this.scheduler.now + this.skew;
  }

  private delay(ms: number): number {
    return Math.max(0, Math.round(ms * this.rate));
  }

  setTimeout(run: () => void, ms: number): TimerHandle {
    const timer: SimTimer = { cancelled: false };
    this.scheduler.after(this.delay(ms), () => {
      if (!timer.cancelled && this.alive) run();
    });
    return timer;
  }

  clearTimeout(timer: TimerHandle | null | undefined): void {
    if (timer) (timer as SimTimer).cancelled = true;
  }

  setInterval(run: () => void, ms: number): TimerHandle {
    const timer: SimTimer = { cancelled: false };
    const tick = () => {
      if (timer.cancelled || !this.alive) return;
      run();
      this.scheduler.after(this.delay(ms), tick);
    };
    this.scheduler.after(this.delay(ms), tick);
    return timer;
  }

  clearInterval(timer: TimerHandle | null | undefined): void {
    this.clearTimeout(timer);
  }
}
