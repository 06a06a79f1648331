import type { AllStreamRecordedEvent, AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { SubscriptionDroppedError } from './client-errors';

/**
 * The client's live subscription as a queue that a subscription loop pulls batches from.
 * The client pushes events as they come; the feed pauses it while `highWater` events wait, so a
 * slow consumer holds the server back instead of filling memory. Once the server ends or fails
 * the subscription, the feed hands out what it still holds and then reports the drop.
 */
export class LiveFeed {
  private readonly queue: AllStreamRecordedEvent[] = [];
  private dropped: Error | null = null;
  private closing: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly subscription: AllStreamSubscription,
    private readonly highWater: number,
  ) {
    subscription.on('data', (resolved: AllStreamResolvedEvent) => this.push(resolved));
    // Errors can still arrive after close; the listener stays so that they are never unhandled.
    subscription.on('error', (error: Error) => this.drop(error));
    subscription.on('end', () => this.drop(new SubscriptionDroppedError('EventStoreDB ended the subscription')));
    subscription.on('close', () => this.drop(new SubscriptionDroppedError('EventStoreDB closed the subscription')));
  }

  /** Up to `max` events, oldest first; none when the queue is empty. */
  take(max: number): AllStreamRecordedEvent[] {
    const batch = this.queue.splice(0, max);
    if (this.queue.length < this.highWater && this.subscription.isPaused()) this.subscription.resume();
    return batch;
  }

  /** Throws why the subscription ended, once every event received before that has been taken. */
  throwIfDropped(): void {
    if (this.dropped && this.queue.length === 0) throw this.dropped;
  }

  /** Resolves when events are waiting, the subscription dropped, or the feed was closed. */
  wait(): Promise<void> {
    if (this.queue.length > 0 || this.dropped || this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closing = this.subscription.unsubscribe();
      this.notify();
    }
    return this.closing;
  }

  private push(resolved: AllStreamResolvedEvent): void {
    // Without link resolution every record is an event; a record without one has nothing to deliver.
    if (!resolved.event || this.closing) return;
    this.queue.push(resolved.event);
    if (this.queue.length >= this.highWater) this.subscription.pause();
    this.notify();
  }

  private drop(error: Error): void {
    if (this.closing || this.dropped) return;
    this.dropped = error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
