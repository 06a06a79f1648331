/** Where application code reads the time, so tests can script a day. Domain code never reads it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Injection token of the Clock; the platform provides the system clock. */
export const CLOCK = Symbol('CLOCK');
