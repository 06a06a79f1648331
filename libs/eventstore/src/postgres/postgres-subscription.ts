import type { EventFilter, Position, RecordedEvent, Subscription, SubscriptionMessage } from '../event-store';

/** One page of the global log (see `LogReader.readPage`). */
export interface LogPage {
  events: RecordedEvent[];
  /** How far the log was scanned: past filtered-out events too; null when nothing was read yet. */
  scannedTo: Position | null;
  /** Committed events wait behind a transaction still running; they come in a later page. */
  held: boolean;
}

/**
 * What a subscription needs from the store: pages of the global log below the oldest running
 * transaction (the safe horizon), the log's head, and a wake-up when something is appended.
 */
export interface LogReader {
  /**
   * Up to `maxCount` matching events after `from`, all committed below the safe horizon, and, if
   * not held back, all committed before the call, or with `freshAsOf` (an `appendVersion()` the
   * caller read before asking) all whose append this process had heard of by then. `live`: the
   * caller's last page came back short.
   */
  readPage(from: Position | 'start', maxCount: number, filter: EventFilter | undefined, live: boolean, freshAsOf?: number): Promise<LogPage>;
  headPosition(): Promise<Position | null>;
  /** A counter that moves on every append this process hears of (see AppendSignal). */
  appendVersion(): number;
  /** Resolves at the first append after `seenVersion`, or after `timeoutMs`. */
  nextAppend(seenVersion: number, timeoutMs: number): Promise<void>;
  /** Wakes every waiting subscription, as an append would. */
  wake(): void;
}

export interface PostgresSubscriptionOptions {
  from: Position | 'start' | 'end';
  filter?: EventFilter;
  maxBatchSize: number;
  /**
   * The longest an idle subscription waits for a wake-up. The store wakes it on every append it
   * hears of and on each tick of its poll clock; this is the fallback, should neither come.
   */
  waitTimeoutMs: number;
  onStop: () => void;
}

/** How soon to look again when committed events wait behind a transaction still running. */
const HELD_RETRY_MS = [1, 2, 5, 10, 20, 50];

/**
 * Catch-up then live: pages through the log until a page comes back short with nothing held
 * back, says `caughtUp` with how far it has read, then waits for a wake-up (an append heard of,
 * or the store's poll) and goes on. It says `caughtUp` again whenever it goes idle further on.
 */
export class PostgresSubscription implements Subscription {
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: LogReader,
    private readonly options: PostgresSubscriptionOptions,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    let position: Position | 'start' = await this.startPosition();
    // What the consumer was last told it has everything up to; null until the first caughtUp.
    let reported: Position | 'start' | null = null;
    let heldRetries = 0;
    let live = false;
    // False after a wait that timed out with no wake-up: that read is a poll of its own, for appends
    // another process committed without its notification reaching this one, so it must read anew.
    let woken = true;
    while (!this.stopped) {
      const seenVersion = this.log.appendVersion();
      const fetching = this.log.readPage(position, this.options.maxBatchSize, this.options.filter, live, woken ? seenVersion : undefined);
      this.running = fetching.catch(() => undefined);
      const page = await fetching;
      if (this.stopped) return;
      if (page.events.length > 0) yield { type: 'events', events: page.events };
      // Under a steady stream of appends some transaction is nearly always in flight: the back-off
      // is for one that holds the log still, not for each of many short ones the reader moves past.
      if (page.events.length > 0 || (page.scannedTo !== null && page.scannedTo !== position)) heldRetries = 0;
      if (page.scannedTo !== null) position = page.scannedTo;
      live = page.events.length < this.options.maxBatchSize;
      if (!live) continue;
      if (page.held) {
        await this.pause(HELD_RETRY_MS[Math.min(heldRetries++, HELD_RETRY_MS.length - 1)]);
        continue;
      }
      heldRetries = 0;
      if (reported === null || reported !== position) {
        reported = position;
        yield { type: 'caughtUp', position: position === 'start' ? null : position };
        if (this.stopped) return;
      }
      await this.log.nextAppend(seenVersion, this.options.waitTimeoutMs);
      woken = this.log.appendVersion() !== seenVersion;
    }
  }

  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopped = true;
      this.log.wake();
      this.stopping = this.running.then(() => this.options.onStop());
    }
    return this.stopping;
  }

  private async startPosition(): Promise<Position | 'start'> {
    if (this.options.from !== 'end') return this.options.from;
    return (await this.log.headPosition()) ?? 'start';
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
