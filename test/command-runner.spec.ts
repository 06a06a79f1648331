import { randomUUID } from 'node:crypto';
import {
  CommandRunner,
  ConcurrencyConflictError,
  type Decider,
  DomainError,
  EventSchemaRegistry,
  newContext,
  runWithContext,
} from '@app/core';
import { type EventStore, PostgresEventStore, type ReadStreamOptions, type RecordedEvent } from '@app/eventstore';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** A seat counter: at most `capacity` reservations per stream, each for a named guest. */
type Command = { type: 'Reserve'; guest: string; capacity: number };
type Event = { type: 'Reserved'; data: { guest: string } };
type State = { guests: string[] };

const seats: Decider<Command, Event, State> = {
  initialState: () => ({ guests: [] }),
  evolve: (state, event) => ({ guests: [...state.guests, event.data.guest] }),
  decide(command, state) {
    if (state.guests.includes(command.guest)) return [];
    if (state.guests.length >= command.capacity) throw new DomainError('SOLD_OUT', 'No seats left', 409);
    return [{ type: 'Reserved', data: { guest: command.guest } }];
  },
};

/** Counts calls of readStream, to see whether a command read its stream at all. */
function countingReadCalls(store: EventStore): { store: EventStore; reads: () => number } {
  let calls = 0;
  const proxy = Object.create(store) as EventStore;
  proxy.readStream = (name, options) => {
    calls++;
    return store.readStream(name, options);
  };
  return { store: proxy, reads: () => calls };
}

/** Counts the events each readStream returns, to see how much of a stream a command reads. */
function countingReads(store: EventStore): { store: EventStore; eventsRead: () => number } {
  let read = 0;
  const proxy = Object.create(store) as EventStore;
  proxy.readStream = async (name: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> => {
    const events = await store.readStream(name, options);
    read += events.length;
    return events;
  };
  return { store: proxy, eventsRead: () => read };
}

describe('CommandRunner', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('commands');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 20 });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('appends what the decider decides, with the request context and schema version in the metadata', async () => {
    const runner = new CommandRunner(store, new EventSchemaRegistry().register({ type: 'Reserved', version: 2, upcasters: { 1: (d) => d } }));
    const stream = `show-${randomUUID()}`;
    const context = newContext({ userId: randomUUID(), causationId: randomUUID() });
    const result = await runWithContext(context, () => runner.run(seats, stream, { type: 'Reserve', guest: 'ann', capacity: 2 }));
    expect(result.events).toEqual([{ type: 'Reserved', data: { guest: 'ann' } }]);
    const [event] = await store.readStream(stream);
    expect(event.position).toBe(result.position);
    expect(event.metadata).toEqual({
      correlationId: context.correlationId,
      causationId: context.causationId,
      userId: context.userId,
      traceKey: context.traceKey,
      schemaVersion: 2,
    });
  });

  // Issue 12 changed this answer: it used to be `position: null`, which sent callers back to the store for the state and the position.
  it('writes nothing when the decider decides nothing, and answers the state and the position of the stream as it is', async () => {
    const stream = `show-${randomUUID()}`;
    const first = await new CommandRunner(store).run(seats, stream, { type: 'Reserve', guest: 'ann', capacity: 2 });
    for (const runner of [new CommandRunner(store), new CommandRunner(store, undefined, { cacheSize: 0 })]) {
      const again = await runner.run(seats, stream, { type: 'Reserve', guest: 'ann', capacity: 2 });
      expect(again).toMatchObject({ events: [], position: first.position, nextExpectedRevision: first.nextExpectedRevision });
      expect(again.state).toEqual(first.state);
    }
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('racing commands from several processes re-decide on conflict and never break the rule', async () => {
    // Three runners stand for three processes, each with its own cache of folded state; the budget
    // of attempts is large enough that every command gets decided on the latest state.
    const runners = Array.from({ length: 3 }, () => new CommandRunner(store, undefined, { maxAttempts: 100 }));
    const stream = `show-${randomUUID()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        runners[i % 3].run(seats, stream, { type: 'Reserve', guest: `guest-${i}`, capacity: 10 }),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(10);
    expect(lost).toHaveLength(20);
    expect(lost.every((o) => o.reason instanceof DomainError && o.reason.code === 'SOLD_OUT')).toBe(true);
    const events = await store.readStream(stream);
    expect(events).toHaveLength(10);
    expect(new Set(events.map((e) => (e.data as { guest: string }).guest)).size).toBe(10);
  });

  it('commands racing on one stream in one process take turns: no conflict, no re-read, and a failing one does not hold up the rest', async () => {
    const { store: counted, eventsRead } = countingReads(store);
    const outcomes: string[] = [];
    // One attempt only: a conflict would fail the command.
    const runner = new CommandRunner(counted, undefined, { maxAttempts: 1, onOutcome: (_, outcome) => outcomes.push(outcome) });
    const stream = `show-${randomUUID()}`;
    await runner.run(seats, stream, { type: 'Reserve', guest: 'first', capacity: 30 });
    const read = eventsRead();
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        runner.run(seats, stream, { type: 'Reserve', guest: `guest-${i}`, capacity: 30 }, { fromCache: true }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(29);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['SOLD_OUT']);
    expect(outcomes.filter((o) => o === 'conflict')).toEqual([]);
    expect(eventsRead()).toBe(read);
    expect(await store.readStream(stream)).toHaveLength(30);
  });

  it('grouped commands that arrive together are decided together and appended in one append, each with its own request and its own refusal', async () => {
    let appends = 0;
    const counted = Object.create(store) as EventStore;
    counted.appendToStream = (...args: Parameters<EventStore['appendToStream']>) => {
      appends++;
      return store.appendToStream(...args);
    };
    const outcomes: string[] = [];
    const runner = new CommandRunner(counted, undefined, { maxAttempts: 1, onOutcome: (_, outcome) => outcomes.push(outcome) });
    const stream = `show-${randomUUID()}`;
    const users = Array.from({ length: 30 }, () => randomUUID());
    const results = await Promise.allSettled(
      users.map((userId, i) =>
        runWithContext(newContext({ userId }), () => runner.runGrouped(seats, stream, { type: 'Reserve', guest: `guest-${i}`, capacity: 29 }, { fromCache: true })),
      ),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, result: r.value }] : []));
    expect(won).toHaveLength(29);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['SOLD_OUT']);
    // The first command goes alone; the 29 that arrived while it was appended go in one more append.
    expect(appends).toBe(2);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(29);
    for (const { i, result } of won) {
      expect(result.events).toEqual([{ type: 'Reserved', data: { guest: `guest-${i}` } }]);
      expect(result.state.guests).toContain(`guest-${i}`);
    }
    const events = await store.readStream(stream);
    expect(events).toHaveLength(29);
    for (const event of events) {
      const i = Number((event.data as { guest: string }).guest.slice('guest-'.length));
      expect(event.metadata.userId).toBe(users[i]);
    }
  });

  it('grouped commands from several processes re-decide the whole group on conflict and never break the rule', async () => {
    const runners = Array.from({ length: 3 }, () => new CommandRunner(store, undefined, { maxAttempts: 100 }));
    const stream = `show-${randomUUID()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => runners[i % 3].runGrouped(seats, stream, { type: 'Reserve', guest: `guest-${i}`, capacity: 25 }, { fromCache: true })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(25);
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(lost.every((o) => o.reason instanceof DomainError && o.reason.code === 'SOLD_OUT')).toBe(true);
    const events = await store.readStream(stream);
    expect(events).toHaveLength(25);
    expect(new Set(events.map((e) => (e.data as { guest: string }).guest)).size).toBe(25);
  });

  it('keeps what a command appended in the cache unless told not to', async () => {
    const { store: counting, reads } = countingReadCalls(store);
    const runner = new CommandRunner(counting);
    const [kept, notKept] = [`show-${randomUUID()}`, `show-${randomUUID()}`];
    await runner.run(seats, kept, { type: 'Reserve', guest: 'ann', capacity: 5 }, { newStream: true });
    await runner.run(seats, notKept, { type: 'Reserve', guest: 'ann', capacity: 5 }, { newStream: true, cache: false });
    await runner.run(seats, kept, { type: 'Reserve', guest: 'bob', capacity: 5 }, { fromCache: true });
    expect(reads()).toBe(0);
    await runner.run(seats, notKept, { type: 'Reserve', guest: 'bob', capacity: 5 }, { fromCache: true });
    expect(reads()).toBe(1);
    expect((await store.readStream(notKept)).map((e) => e.data)).toEqual([{ guest: 'ann' }, { guest: 'bob' }]);
  });

  it('loads several streams in one read of their tails after the cache, seeing what another process appended', async () => {
    const [a, b] = [`show-${randomUUID()}`, `show-${randomUUID()}`];
    const runner = new CommandRunner(store);
    await runner.run(seats, a, { type: 'Reserve', guest: 'ann', capacity: 5 });
    let reads = 0;
    const counting: EventStore = Object.create(store);
    counting.readStreams = (requests) => {
      reads++;
      return store.readStreams(requests);
    };
    const reader = new CommandRunner(counting);
    const first = await reader.loadAll([
      { decider: seats, streamName: a },
      { decider: seats, streamName: b },
    ]);
    expect(first.map((loaded) => loaded.state.guests)).toEqual([['ann'], []]);
    expect(first[1]).toEqual({ state: { guests: [] }, revision: null, position: null });
    // Written elsewhere since: the next load reads only the tails, and sees it.
    await runner.run(seats, a, { type: 'Reserve', guest: 'bob', capacity: 5 });
    await runner.run(seats, b, { type: 'Reserve', guest: 'cy', capacity: 5 });
    const second = await reader.loadAll([
      { decider: seats, streamName: a },
      { decider: seats, streamName: b },
    ]);
    expect(second.map((loaded) => loaded.state.guests)).toEqual([['ann', 'bob'], ['cy']]);
    expect(second[0].revision).toBe(1n);
    expect(reads).toBe(2);
  });

  it('on a stream said to be new appends without reading it, and reads and re-decides if it exists after all', async () => {
    const stream = `show-${randomUUID()}`;
    const { store: counting, reads } = countingReadCalls(store);
    const runner = new CommandRunner(counting);
    await runner.run(seats, stream, { type: 'Reserve', guest: 'ann', capacity: 1 }, { newStream: true });
    expect(reads()).toBe(0);
    // Not new after all: the blind append fails, the runner reads the stream and the rule holds.
    const error = await new CommandRunner(counting)
      .run(seats, stream, { type: 'Reserve', guest: 'bob', capacity: 1 }, { newStream: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SOLD_OUT' });
    expect(reads()).toBe(1);
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ guest: 'ann' }]);
  });

  it('gives up with 409 CONCURRENCY_CONFLICT once its attempts are spent', async () => {
    const stream = `show-${randomUUID()}`;
    const slow = new CommandRunner(store, undefined, { maxAttempts: 1 });
    const other = new CommandRunner(store);
    await slow.load(seats, stream);
    // Another process writes between this runner's read and its append.
    const racing: EventStore = Object.create(store);
    racing.readStream = async (name, options) => {
      const events = await store.readStream(name, options);
      await other.run(seats, stream, { type: 'Reserve', guest: `rival-${randomUUID()}`, capacity: 100 });
      return events;
    };
    const runner = new CommandRunner(racing, undefined, { maxAttempts: 2 });
    const error = await runner.run(seats, stream, { type: 'Reserve', guest: 'me', capacity: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect(error).toMatchObject({ code: 'CONCURRENCY_CONFLICT', status: 409 });
  });

  it('reads only the tail of a long stream, so a command costs the same at 3,000 events as at 3', async () => {
    const stream = `show-${randomUUID()}`;
    const guests = Array.from({ length: 3000 }, (_, i) => ({ id: randomUUID(), type: 'Reserved', data: { guest: `g${i}` } }));
    for (let i = 0; i < guests.length; i += 500) await store.appendToStream(stream, guests.slice(i, i + 500));
    const reads = countingReads(store);
    const runner = new CommandRunner(reads.store);
    await runner.run(seats, stream, { type: 'Reserve', guest: 'first', capacity: 10_000 });
    expect(reads.eventsRead()).toBe(3000);
    await store.appendToStream(stream, [{ id: randomUUID(), type: 'Reserved', data: { guest: 'from-elsewhere' } }]);
    const before = reads.eventsRead();
    await runner.run(seats, stream, { type: 'Reserve', guest: 'second', capacity: 10_000 });
    // Only the event another process appended since: the cache holds the rest.
    expect(reads.eventsRead() - before).toBe(1);
    const { state } = await new CommandRunner(store).load(seats, stream);
    expect(state.guests).toHaveLength(3003);
    expect(state.guests.slice(-3)).toEqual(['first', 'from-elsewhere', 'second']);
  });

  it('folds stored events of an old schema version through their upcasters', async () => {
    const schemas = new EventSchemaRegistry().register({
      type: 'Reserved',
      version: 2,
      upcasters: { 1: (data: { name: string }) => ({ guest: data.name }) },
    });
    const stream = `show-${randomUUID()}`;
    await store.appendToStream(stream, [{ id: randomUUID(), type: 'Reserved', data: { name: 'old-guest' }, metadata: { schemaVersion: 1 } }]);
    const runner = new CommandRunner(store, schemas);
    const { state } = await runner.load(seats, stream);
    expect(state.guests).toEqual(['old-guest']);
    await expect(runner.run(seats, stream, { type: 'Reserve', guest: 'new-guest', capacity: 1 })).rejects.toMatchObject({ code: 'SOLD_OUT' });
  });
});
