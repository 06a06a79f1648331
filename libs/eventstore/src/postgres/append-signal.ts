/**
 * A wake-up for subscriptions. Each notify bumps `version`; a waiter that read the version before
 * it looked for events returns at once if an append landed meanwhile, so no wake-up is lost.
 */
export class AppendSignal {
  version = 0;
  private waiters: Array<() => void> = [];

  notify(): void {
    this.version++;
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    // Each wake removes itself from `waiters`; iterate a copy so none is passed over.
    for (const wake of [...waiters]) wake();
  }

  /** Resolves at the next notify after `seenVersion`, or after `timeoutMs`, whichever is first. */
  next(seenVersion: number, timeoutMs: number): Promise<void> {
    if (this.version !== seenVersion) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done(): void {
        clearTimeout(timer);
        const index = waiters.indexOf(done);
        if (index >= 0) waiters.splice(index, 1);
        resolve();
      }
      waiters.push(done);
    });
  }
}
