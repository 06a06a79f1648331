import { TooManyAttempts } from '../domain/identity.errors';
import type { LoginLimits } from './identity.config';

interface Counter {
  failures: number;
  windowEndsAt: number;
}

/** One login attempt, counted as failed from its start until it is known to have succeeded. */
export interface LoginAttempt {
  succeeded(): void;
  /** It was never decided (the server was too busy to check the beak): it does not count. */
  abandoned(): void;
}

/**
 * The login rate limits: failed logins per email and per client address, in a window that starts
 * at the first failure. An attempt counts as failed while it is being checked, so a burst of
 * parallel guesses is limited as surely as a sequence of them, and an attempt over a limit is
 * refused before any beak is hashed: it costs the server nothing. A success clears its email's
 * count. Memory is bounded: at most `maxKeys` emails and addresses are tracked, the oldest
 * forgotten first. Counts are per process; several api processes each allow the limit.
 * A window is elapsed time, not a date, so `now` is a monotonic clock in milliseconds (a step of
 * the wall clock neither ends a window early nor stretches it).
 */
export class LoginAttempts {
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly limits: LoginLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  begin(email: string, client: string): LoginAttempt {
    const now = this.now();
    const keys = [
      { key: `email:${email}`, limit: this.limits.maxFailuresPerEmail, by: 'email' as const },
      { key: `client:${client}`, limit: this.limits.maxFailuresPerClient, by: 'client' as const },
    ];
    for (const { key, limit, by } of keys) {
      const counter = this.current(key, now);
      if (counter && counter.failures >= limit) throw new TooManyAttempts(Math.max(1, Math.ceil((counter.windowEndsAt - now) / 1000)), by);
    }
    const counted = keys.map(({ key }) => this.count(key, now));
    const undo = () => {
      for (const counter of counted) counter.failures = Math.max(0, counter.failures - 1);
    };
    let settled = false;
    return {
      succeeded: () => {
        if (settled) return;
        settled = true;
        undo();
        this.counters.delete(keys[0].key);
      },
      abandoned: () => {
        if (settled) return;
        settled = true;
        undo();
      },
    };
  }

  private current(key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter && counter.windowEndsAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private count(key: string, now: number): Counter {
    let counter = this.current(key, now);
    if (!counter) {
      counter = { failures: 0, windowEndsAt: now + this.limits.windowSeconds * 1000 };
      this.counters.set(key, counter);
      while (this.counters.size > this.limits.maxKeys) this.counters.delete(this.counters.keys().next().value!);
    }
    counter.failures += 1;
    return counter;
  }
}
