import type { AllStreamJSONRecordedEvent } from '@eventstore/db-client';
import { UnavailableError } from '@eventstore/db-client';
import { SubscriptionDroppedError } from './client-errors';
import { LiveFeed } from './live-feed';
import { FakeSubscription } from './testing/fake-client';

function recorded(n: number): AllStreamJSONRecordedEvent {
  const position = BigInt(1000 + n);
  return { streamId: 's', id: `id-${n}`, isJson: true, revision: BigInt(n), type: 'T', created: new Date(), data: {}, metadata: {}, position: { commit: position, prepare: position } } as AllStreamJSONRecordedEvent;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LiveFeed', () => {
  let subscription: FakeSubscription;

  beforeEach(() => {
    subscription = new FakeSubscription('start', undefined);
  });

  it('hands out what arrived, oldest first, in batches', async () => {
    const feed = new LiveFeed(subscription, 100);
    for (let i = 0; i < 5; i++) subscription.deliver(recorded(i));
    await feed.wait();
    await tick();
    expect(feed.take(3).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    expect(feed.take(3).map((e) => e.revision)).toEqual([3n, 4n]);
    expect(feed.take(3)).toEqual([]);
  });

  it('pauses the server subscription while the consumer is behind, and resumes it when it catches up', async () => {
    const feed = new LiveFeed(subscription, 4);
    for (let i = 0; i < 10; i++) subscription.deliver(recorded(i));
    await tick();
    expect(subscription.isPaused()).toBe(true);
    const first = feed.take(4);
    expect(subscription.isPaused()).toBe(false);
    await tick();
    const rest = [...first, ...feed.take(10)];
    await tick();
    rest.push(...feed.take(10));
    expect(rest.map((e) => Number(e.revision))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reports a drop only after handing out what arrived before it', async () => {
    const feed = new LiveFeed(subscription, 100);
    subscription.deliver(recorded(0));
    await tick();
    subscription.fail(new UnavailableError(undefined, 'gone'));
    await feed.wait();
    expect(() => feed.throwIfDropped()).not.toThrow();
    expect(feed.take(10)).toHaveLength(1);
    expect(() => feed.throwIfDropped()).toThrow(UnavailableError);
  });

  it('treats the server ending the subscription as a drop', async () => {
    const feed = new LiveFeed(subscription, 100);
    subscription.push(null);
    subscription.resume();
    await feed.wait();
    expect(() => feed.throwIfDropped()).toThrow(SubscriptionDroppedError);
  });

  it('wakes a waiting consumer on close and unsubscribes once', async () => {
    const feed = new LiveFeed(subscription, 100);
    const unsubscribe = jest.spyOn(subscription, 'unsubscribe');
    const waiting = feed.wait();
    await Promise.all([feed.close(), feed.close()]);
    await expect(waiting).resolves.toBeUndefined();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(() => feed.throwIfDropped()).not.toThrow();
  });
});
