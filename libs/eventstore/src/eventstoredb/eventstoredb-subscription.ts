import type { AllStreamRecordedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { EventFilter, Position, RecordedEvent, Subscription, SubscriptionMessage } from '../event-store';
import { isTransient } from './client-errors';
import { fromClientEvent } from './events';
import { eventMatcher } from './filters';
import { LiveFeed } from './live-feed';
import { fromClientPosition } from './positions';

/** What a subscription needs from the store: paged reads of `$all`, its head, and live subscriptions. */
export interface LogReader {
  /** Up to `maxCount` matching events after `from`, and how far the log was read to find them. */
  readPage(from: Position | 'start', maxCount: number, filter?: EventFilter): Promise<{ events: RecordedEvent[]; scannedTo: Position | null }>;
  headPosition(): Promise<Position | null>;
  /** The client's subscription to `$all` after `from`, filtered on the server as far as it can. */
  subscribeLive(from: Position | 'start', filter?: EventFilter): AllStreamSubscription;
}

export interface EventStoreDbSubscriptionOptions {
  from: Position | 'start' | 'end';
  filter?: EventFilter;
  maxBatchSize: number;
  onStop: () => void;
  /** Milliseconds to wait before the attempt after `failures` consecutive failures. */
  retryDelay?: (failures: number) => number;
}

/** 100 ms, doubling to at most 5 s: quick after a blip, gentle on a server that is down. */
export function resubscribeDelay(failures: number): number {
  return Math.min(100 * 2 ** failures, 5_000);
}

/**
 * Catch-up then live. It catches up by reading pages of `$all` until one comes back short, says
 * `caughtUp` with how far it read, then follows a live server subscription from there. It says
 * `caughtUp` again whenever the live queue runs dry after the position moved. When the server
 * drops the subscription (or is unreachable) it waits, backing off, and starts over with a
 * catch-up from the last position it reached, so nothing is skipped and nothing repeated.
 */
export class EventStoreDbSubscription implements Subscription {
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private feed: LiveFeed | null = null;
  private failures = 0;
  private interruptPause: (() => void) | null = null;
  private readonly accept: (type: string, streamName: string) => boolean;

  constructor(
    private readonly reader: LogReader,
    private readonly options: EventStoreDbSubscriptionOptions,
  ) {
    this.accept = eventMatcher(options.filter);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    let progress: Progress | null = null;
    while (!this.stopped) {
      try {
        progress ??= { position: await this.track(this.startPosition()), reported: undefined };
        yield* this.catchUp(progress);
        if (this.stopped) return;
        yield* this.followLive(progress);
      } catch (error) {
        if (this.stopped) return;
        if (!isTransient(error)) throw error;
        await this.pause((this.options.retryDelay ?? resubscribeDelay)(this.failures++));
      }
    }
  }

  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopped = true;
      this.interruptPause?.();
      this.stopping = Promise.all([this.running, this.feed?.close()]).then(() => this.options.onStop());
    }
    return this.stopping;
  }

  /** Reads pages of the log until one comes back short: everything stored so far is delivered. */
  private async *catchUp(progress: Progress): AsyncGenerator<SubscriptionMessage> {
    for (;;) {
      const page = await this.track(this.reader.readPage(progress.position, this.options.maxBatchSize, this.options.filter));
      if (this.stopped) return;
      this.failures = 0;
      if (page.scannedTo !== null) progress.position = page.scannedTo;
      if (page.events.length > 0) yield { type: 'events', events: page.events };
      if (page.events.length < this.options.maxBatchSize) return;
    }
  }

  /** Follows a live server subscription from where the catch-up ended, until stopped or dropped. */
  private async *followLive(progress: Progress): AsyncGenerator<SubscriptionMessage> {
    const feed = new LiveFeed(this.reader.subscribeLive(progress.position, this.options.filter), 2 * this.options.maxBatchSize);
    this.feed = feed;
    try {
      while (!this.stopped) {
        const received = feed.take(this.options.maxBatchSize);
        if (received.length > 0) {
          const events = this.admit(received, progress);
          if (events.length > 0) yield { type: 'events', events };
          continue;
        }
        feed.throwIfDropped();
        if (progress.reported !== progress.position) {
          progress.reported = progress.position;
          yield caughtUp(progress.position);
        } else {
          await feed.wait();
        }
      }
    } finally {
      this.feed = null;
      await feed.close();
    }
  }

  /**
   * Moves past what the server sent and returns the part the filter keeps. A resubscription can
   * overlap what was already delivered, so anything not past the position is dropped.
   */
  private admit(received: readonly AllStreamRecordedEvent[], progress: Progress): RecordedEvent[] {
    const from = progress.position;
    const fresh = received.filter((event) => from === 'start' || fromClientPosition(event.position) > from);
    if (fresh.length === 0) return [];
    progress.position = fromClientPosition(fresh[fresh.length - 1].position);
    this.failures = 0;
    return fresh.filter((event) => this.accept(event.type, event.streamId)).map(fromClientEvent);
  }

  private async startPosition(): Promise<Position | 'start'> {
    if (this.options.from !== 'end') return this.options.from;
    return (await this.reader.headPosition()) ?? 'start';
  }

  /** Remembers a read in flight, so that `stop` can wait for it to settle. */
  private track<T>(promise: Promise<T>): Promise<T> {
    this.running = promise.catch(() => undefined);
    return promise;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.interruptPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function caughtUp(position: Position | 'start'): SubscriptionMessage {
  return { type: 'caughtUp', position: position === 'start' ? null : position };
}

/** How far a subscription has read, and what it last told its consumer it had caught up to. */
interface Progress {
  position: Position | 'start';
  reported: Position | 'start' | undefined;
}
