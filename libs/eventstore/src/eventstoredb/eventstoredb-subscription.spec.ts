import { randomUUID } from 'node:crypto';
import { AccessDeniedError, UnavailableError } from '@eventstore/db-client';
import type { EventData, Subscription, SubscriptionMessage } from '../event-store';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { resubscribeDelay } from './eventstoredb-subscription';
import { fromClientPosition, toClientPosition } from './positions';
import { FakeEventStoreDb } from './testing/fake-client';

function event(type = 'Tested', data: Record<string, unknown> = {}): EventData {
  return { id: randomUUID(), type, data, metadata: {} };
}

/** Pulls messages one at a time, so a test can act between them. */
function reader(subscription: Subscription) {
  const iterator = subscription[Symbol.asyncIterator]();
  return async (): Promise<SubscriptionMessage> => {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no message within 2 s')), 2_000);
      }),
    ]).finally(() => clearTimeout(timer));
    if (next.done) throw new Error('the subscription ended');
    return next.value;
  };
}

function describeMessage(message: SubscriptionMessage): string {
  return message.type === 'caughtUp' ? 'caughtUp' : message.events.map((e) => `${e.type}@${e.streamName}/${e.revision}`).join(' ');
}

describe('EventStoreDB subscriptions (against an in-memory stand-in for the server)', () => {
  let fake: FakeEventStoreDb;
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    fake = new FakeEventStoreDb();
    fake.writeSystemEvent();
    store = new EventStoreDbEventStore({ connectionString: 'esdb://fake:2113?tls=false' }, fake.client);
  });
  afterEach(() => store.close());

  it('catch up, say so with how far they read, then follow live from there with a server-side filter', async () => {
    await store.appendToStream('s-1', [event('A'), event('B')]);
    fake.writeSystemEvent();
    const subscription = store.subscribeToAll({ filter: { eventTypes: ['A'] } });
    const next = reader(subscription);

    expect(describeMessage(await next())).toBe('A@s-1/0');
    const caughtUp = await next();
    const head = fake.log[fake.log.length - 1].position;
    expect(caughtUp).toEqual({ type: 'caughtUp', position: fromClientPosition(head) });
    expect(fake.subscriptions).toHaveLength(1);
    expect(fake.subscriptions[0].fromPosition).toEqual(head);
    expect(fake.subscriptions[0].serverFilter).toMatchObject({ filterOn: 'eventType' });

    await store.appendToStream('s-1', [event('B'), event('A')]);
    expect(describeMessage(await next())).toBe('A@s-1/3');
    expect(await next()).toMatchObject({ type: 'caughtUp' });
    await subscription.stop();
  });

  it('deliver in batches of at most maxBatchSize and say caughtUp only once the position moved', async () => {
    await store.appendToStream('s-1', Array.from({ length: 5 }, () => event()));
    const subscription = store.subscribeToAll({ maxBatchSize: 2 });
    const next = reader(subscription);
    expect([await next(), await next(), await next(), await next()].map(describeMessage)).toEqual([
      'Tested@s-1/0 Tested@s-1/1',
      'Tested@s-1/2 Tested@s-1/3',
      'Tested@s-1/4',
      'caughtUp',
    ]);
    fake.writeSystemEvent();
    await store.appendToStream('s-1', [event()]);
    expect(describeMessage(await next())).toBe('Tested@s-1/5');
    expect(await next()).toMatchObject({ type: 'caughtUp' });
    await subscription.stop();
  });

  it('drop what the server sends again at or before the position they reached', async () => {
    fake.subscriptionsRepeatStart = true;
    await store.appendToStream('s-1', [event('A')]);
    const subscription = store.subscribeToAll();
    const next = reader(subscription);
    expect(describeMessage(await next())).toBe('A@s-1/0');
    expect(await next()).toMatchObject({ type: 'caughtUp' });
    await store.appendToStream('s-1', [event('B')]);
    expect(describeMessage(await next())).toBe('B@s-1/1');
    await subscription.stop();
  });

  it('from end deliver only what is appended after they started', async () => {
    await store.appendToStream('s-1', [event('Old')]);
    const subscription = store.subscribeToAll({ fromPosition: 'end' });
    const next = reader(subscription);
    const [old] = await store.readStream('s-1');
    expect(await next()).toEqual({ type: 'caughtUp', position: old.position });
    await store.appendToStream('s-1', [event('New')]);
    expect(describeMessage(await next())).toBe('New@s-1/1');
    await subscription.stop();
  });

  it('resubscribe after the server drops them, catching up from the last position seen, without skipping or repeating', async () => {
    const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: ['s-'] } });
    const next = reader(subscription);
    expect(await next()).toMatchObject({ type: 'caughtUp' });
    await store.appendToStream('s-1', [event('A')]);
    expect(describeMessage(await next())).toBe('A@s-1/0');
    expect(await next()).toMatchObject({ type: 'caughtUp' });

    // The server goes away: the live subscription fails, and so does the first attempt to catch up again.
    fake.unreachable = new UnavailableError(undefined, 'server restarting');
    fake.subscriptions[0].fail(fake.unreachable);
    await new Promise((resolve) => setTimeout(resolve, resubscribeDelay(0) + 50));
    fake.unreachable = null;
    await store.appendToStream('s-1', [event('B'), event('C')]);

    expect(describeMessage(await next())).toBe('B@s-1/1 C@s-1/2');
    const caughtUp = await next();
    const c = (await store.readStream('s-1'))[2];
    expect(caughtUp).toEqual({ type: 'caughtUp', position: c.position });
    expect(fake.subscriptions).toHaveLength(2);
    expect(fake.subscriptions[0].unsubscribed).toBe(true);
    expect(fake.subscriptions[1].fromPosition).toEqual(toClientPosition(c.position));

    await store.appendToStream('s-1', [event('D')]);
    expect(describeMessage(await next())).toBe('D@s-1/3');
    await subscription.stop();
  });

  it('end with the error when the server refuses them for good', async () => {
    const subscription = store.subscribeToAll();
    const next = reader(subscription);
    expect(await next()).toMatchObject({ type: 'caughtUp' });
    fake.subscriptions[0].fail(new AccessDeniedError());
    await expect(next()).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('stop a live subscription: the iteration ends and the server subscription is released', async () => {
    const subscription = store.subscribeToAll();
    const next = reader(subscription);
    expect(await next()).toMatchObject({ type: 'caughtUp' });
    const pending = next();
    await subscription.stop();
    await expect(pending).rejects.toThrow('the subscription ended');
    expect(fake.subscriptions[0].unsubscribed).toBe(true);
  });

  it('are stopped when the store closes', async () => {
    const subscription = store.subscribeToAll();
    const next = reader(subscription);
    expect(await next()).toMatchObject({ type: 'caughtUp' });
    const pending = next();
    await store.close();
    await expect(pending).rejects.toThrow('the subscription ended');
    expect(fake.subscriptions[0].unsubscribed).toBe(true);
  });

  it('back off from 100 ms, doubling, to at most 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(resubscribeDelay)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });
});
