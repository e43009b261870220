import { describe, it, expect } from 'vitest';
import { WriteLimiter, PER_HOUR, PER_MINUTE } from '../../lib/sync/limiter';

describe('sync write limiter (Chrome: 120 writes a minute, 1,800 an hour)', () => {
  it('never lets more than PER_MINUTE writes into any minute nor PER_HOUR into any hour', () => {
    const lim = new WriteLimiter();
    let now = 0;
    const done: number[] = [];
    // A user editing non-stop for three hours, one write attempt every 200 ms.
    while (now < 3 * 3_600_000) {
      const wait = lim.waitMs(now);
      if (wait === 0) {
        lim.record(now);
        done.push(now);
        now += 200;
      } else now += wait;
    }
    for (let i = 0; i < done.length; i++) {
      const inMinute = done.filter((t) => t >= done[i] && t < done[i] + 60_000).length;
      const inHour = done.filter((t) => t >= done[i] && t < done[i] + 3_600_000).length;
      expect(inMinute).toBeLessThanOrEqual(PER_MINUTE);
      expect(inHour).toBeLessThanOrEqual(PER_HOUR);
    }
    expect(PER_MINUTE).toBeLessThan(120);
    expect(PER_HOUR).toBeLessThan(1800);
    // It did not stall either: the hourly allowance was used.
    expect(done.length).toBeGreaterThanOrEqual(3 * PER_HOUR - PER_MINUTE);
  });

  it('survives a restart: the log it is given counts', () => {
    const log = Array.from({ length: PER_MINUTE }, (_, i) => 1000 + i);
    const lim = new WriteLimiter(log);
    expect(lim.waitMs(2000)).toBe(1000 + 60_000 - 2000);
    expect(lim.waitMs(60_999)).toBe(1);
    expect(lim.waitMs(61_000)).toBe(0);
  });
});
