/**
 * Chrome's storage.sync write limits: 120 writes a minute and 1,800 an hour (a `set` or `remove`
 * call counts once, however many items it carries). The limiter keeps the times of recent writes
 * and says how long to wait; it stays under the limits with room to spare for the other device
 * records and for a worker that restarted and lost its timers.
 */
export const PER_MINUTE = 100;
export const PER_HOUR = 1_500;

export class WriteLimiter {
  readonly log: number[];

  constructor(log: readonly number[] = []) {
    this.log = [...log];
  }

  /** ms to wait before `ops` more writes may go out at `now` (0: now). */
  waitMs(now: number, ops = 1): number {
    this.prune(now);
    let wait = 0;
    const minute = this.log.filter((t) => now - t < 60_000);
    if (minute.length + ops > PER_MINUTE) wait = Math.max(wait, minute[minute.length + ops - PER_MINUTE - 1] + 60_000 - now);
    if (this.log.length + ops > PER_HOUR) wait = Math.max(wait, this.log[this.log.length + ops - PER_HOUR - 1] + 3_600_000 - now);
    return Math.max(0, wait);
  }

  record(now: number, ops = 1): void {
    for (let i = 0; i < ops; i++) this.log.push(now);
    this.prune(now);
  }

  private prune(now: number): void {
    while (this.log.length && now - this.log[0] >= 3_600_000) this.log.shift();
  }
}
