/**
 * Hybrid logical clock, packed into one number so that stamps stay short in storage.sync.
 *
 * A stamp's time is in seconds since SYNC_EPOCH with the logical counter folded in: a device never
 * issues the same time twice (`now()` returns at least last + 1) and after receiving a remote time it
 * issues a larger one. So a write made after seeing another write always wins over it, and
 * concurrent writes are ordered by wall-clock time (to the second), ties by device id. Folding the
 * counter costs nothing real: one capture stamps a whole batch of edits with a single time.
 */

/** 2026-01-01T00:00:00Z in seconds: stamps are counted from here to keep them short. */
export const SYNC_EPOCH_S = 1_767_225_600;

export interface Stamp {
  /** Packed HLC time: seconds since SYNC_EPOCH_S, pushed ahead by the folded counter. */
  t: number;
  /** Device id (short random string) that wrote it; breaks ties. */
  d: string;
}

/** Total order on stamps: time, then device id. */
export function cmpStamp(a: Stamp, b: Stamp): number {
  if (a.t !== b.t) return a.t - b.t;
  return a.d < b.d ? -1 : a.d > b.d ? 1 : 0;
}

export class Hlc {
  constructor(
    readonly device: string,
    private last = 0,
    private readonly wall: () => number = () => Date.now(),
  ) {}

  /** The last time issued or received (persisted so a restarted worker never goes back). */
  get time(): number {
    return this.last;
  }

  now(): Stamp {
    const physical = Math.floor(this.wall() / 1000) - SYNC_EPOCH_S;
    this.last = Math.max(physical, this.last + 1);
    return { t: this.last, d: this.device };
  }

  /** Takes a time seen in remote data into account: later local stamps are greater. */
  receive(t: number): void {
    if (Number.isFinite(t) && t > this.last) this.last = t;
  }
}

/** A short random device id: 6 base-36 characters. */
export function newDeviceId(): string {
  const b = new Uint8Array(6);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => (x % 36).toString(36)).join('');
}
