/** The one source of "now": production reads the system clock, tests move a fake one. */

/** Gives the current instant in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests set and advance by hand. */
export class FakeClock implements Clock {
  constructor(private current: number) {}
  /** The fake current instant. */
  now(): number {
    return this.current;
  }
  /** Moves the clock to `instant` (epoch ms or ISO string with offset). */
  set(instant: number | string): void {
    this.current = typeof instant === "number" ? instant : Date.parse(instant);
  }
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }
}
