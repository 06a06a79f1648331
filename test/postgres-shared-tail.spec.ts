import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { type EventData, type EventFilter, PostgresEventStore, type RecordedEvent, type Subscription } from '@app/eventstore';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { appendInOpenTransaction } from './support/open-transaction';
import { eventually } from './support/wait';

/**
 * Subscriptions at the live edge read the log through one shared tail (LogTail): what each one is
 * handed must be exactly what its own filtered reads would have given it, while the store sends
 * about one page query per wake-up for all of them instead of one per subscription.
 */
describe('PostgreSQL event store: subscriptions at the live edge share one reader', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  /** Page queries: the tail's (no filter), the live subscriptions' own (by type), the one catching up's (by prefix only). */
  const pageQueries = { unfiltered: 0, byType: 0, byPrefix: 0 };

  beforeAll(async () => {
    database = await createTestDatabase('shared_tail');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 25 });
    // Counts the page queries (readPage's, the only ones asking for the snapshot's xmin).
    const pool = (store as unknown as { pool: Pool }).pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('pg_snapshot_xmin')) {
        const text = args[0];
        pageQueries[text.includes('e.type = any') ? 'byType' : text.includes('starts_with') ? 'byPrefix' : 'unfiltered']++;
      }
      return query(...args);
    };
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const event = (type: string, data: Record<string, unknown> = {}): EventData => ({ id: randomUUID(), type, data, metadata: {} });


  it('hands each of many filtered subscriptions exactly its events, in log order, with a late committer, from few page queries', async () => {
    const prefix = `s${randomUUID().slice(0, 8)}`;
    const seeded = await store.appendToStream(`${prefix}-a-seed`, [event('T0'), event('T1')]);

    const filters: EventFilter[] = Array.from({ length: 10 }, (_, i) => ({
      eventTypes: [`T${i}`, `T${(i + 3) % 10}`],
      ...(i % 3 === 0 ? { streamNamePrefixes: [`${prefix}-a`] } : {}),
    }));
    const live: Array<{ filter: EventFilter; subscription: Subscription; events: RecordedEvent[] }> = [];
    for (const filter of filters) {
      const subscription = store.subscribeToAll({ fromPosition: 'end', filter });
      const iterator = subscription[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toMatchObject({ type: 'caughtUp' });
      const events: RecordedEvent[] = [];
      void (async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          if (next.value.type === 'events') events.push(...next.value.events);
        }
      })();
      live.push({ filter, subscription, events });
    }
    // One more comes from the start of the log in small pages while the writers write: it catches
    // up with its own reads and then joins the others at the head.
    const catchingUp = { filter: { streamNamePrefixes: [prefix] }, events: [] as RecordedEvent[] };
    const fromStart = store.subscribeToAll({ fromPosition: 'start', filter: catchingUp.filter, maxBatchSize: 7 });
    void (async () => {
      for await (const message of fromStart) if (message.type === 'events') catchingUp.events.push(...message.events);
    })();

    const before = { ...pageQueries };
    const wakeUps = () => (store as unknown as { signal: { version: number } }).signal.version;
    const wakeUpsBefore = wakeUps();
    // It draws its transaction id before every writer's, and commits after most of them.
    const slow = await appendInOpenTransaction(database.url, `${prefix}-a-slow`, [event('T0', { slow: true }), event('T5', { slow: true })]);
    const writers = 20;
    const perWriter = 60;
    let written = 0;
    const committingLate = eventually(async () => written >= (writers * perWriter) / 2, 60_000).then(() => slow.commit());
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const stream = `${prefix}-${w % 2 === 0 ? 'a' : 'b'}-${w % 5}`;
          const count = 1 + ((w + i) % 3);
          await store.appendToStream(stream, Array.from({ length: count }, (_, k) => event(`T${(w * 7 + i * 3 + k) % 10}`, { w, i, k })));
          written++;
        }
      }),
    );
    await committingLate;

    const log = await readWholeLog(store);
    const expected = (filter: EventFilter, after = seeded.position) =>
      log.filter((e) => e.position > after && matches(e, filter)).map((e) => e.id);
    const readers = [...live, { ...catchingUp, after: '' }];
    for (const reader of readers) {
      const wanted = expected(reader.filter, 'after' in reader ? reader.after : undefined);
      await eventually(async () => reader.events.length >= wanted.length, 60_000, `${wanted.length} events`);
    }
    // Anything more (a repeat) would have arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counted = {
      unfiltered: pageQueries.unfiltered - before.unfiltered,
      byType: pageQueries.byType - before.byType,
      byPrefix: pageQueries.byPrefix - before.byPrefix,
    };
    const rounds = wakeUps() - wakeUpsBefore;
    await Promise.all([...live.map((l) => l.subscription.stop()), fromStart.stop()]);

    expect(log.filter((e) => (e.data as { slow?: boolean }).slow)).toHaveLength(2);
    for (const reader of readers) {
      expect(reader.events.map((e) => e.id)).toEqual(expected(reader.filter, 'after' in reader ? reader.after : undefined));
    }
    expect(catchingUp.events).toHaveLength(log.length);

    // Reading for itself, each live subscription would send a page query at nearly every wake-up
    // its reads do not overlap (about 800 here). Through the tail each sends only its first, before
    // it knows it is at the head; the tail's refreshes are fewer than the wake-ups, for all of them.
    expect(rounds).toBeGreaterThan(100);
    expect(counted.byType).toBeLessThanOrEqual(2 * live.length);
    expect(counted.unfiltered).toBeLessThan(rounds / 2);
  }, 120_000);

  it('idle subscriptions at the head poll the log together: about one page query per poll interval, not one each', async () => {
    const pollIntervalMs = 100;
    const polling = new PostgresEventStore({ connectionString: database.url, poolSize: 5, pollIntervalMs });
    const counted = countPageQueries(polling);
    await polling.appendToStream(`idle-${randomUUID()}`, [event('Seed')]);
    const subscriptions: Subscription[] = [];
    try {
      // Started a tenth of an interval apart, as a worker's projections start: waiting each on a
      // timer of its own, they would poll at ten different moments of every interval.
      const count = 10;
      for (let i = 0; i < count; i++) {
        const subscription = polling.subscribeToAll({ fromPosition: 'end', filter: { eventTypes: [`Idle${i}`] } });
        const iterator = subscription[Symbol.asyncIterator]();
        expect((await iterator.next()).value).toMatchObject({ type: 'caughtUp' });
        void (async () => {
          for (let next = await iterator.next(); !next.done; next = await iterator.next());
        })();
        subscriptions.push(subscription);
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs / count));
      }
      await new Promise((resolve) => setTimeout(resolve, 2 * pollIntervalMs));

      const before = counted.pages;
      const startedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 10 * pollIntervalMs));
      const intervals = (Date.now() - startedAt) / pollIntervalMs;
      const pages = counted.pages - before;
      // Still polling (the test above shows what it finds), once per interval for all of them.
      expect(pages).toBeGreaterThanOrEqual(intervals / 2);
      expect(pages).toBeLessThanOrEqual(intervals * 1.5 + 2);

      // With no subscription left, the store polls no more.
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      const afterStop = counted.pages;
      const wakeUps = (polling as unknown as { signal: { version: number } }).signal.version;
      await new Promise((resolve) => setTimeout(resolve, 3 * pollIntervalMs));
      expect(counted.pages).toBe(afterStop);
      expect((polling as unknown as { signal: { version: number } }).signal.version).toBe(wakeUps);
    } finally {
      await Promise.all(subscriptions.map((s) => s.stop()));
      await polling.close();
    }
  });

  it('a subscription at the head still finds, by its poll, an append whose notification never came', async () => {
    const polling = new PostgresEventStore({ connectionString: database.url, poolSize: 5, pollIntervalMs: 100 });
    const seen: RecordedEvent[][] = [[], []];
    const subscriptions = seen.map((events) => {
      const subscription = polling.subscribeToAll({ fromPosition: 'end', filter: { eventTypes: ['Unannounced'] } });
      void (async () => {
        for await (const message of subscription) if (message.type === 'events') events.push(...message.events);
      })();
      return subscription;
    });
    try {
      // Both at the head, the tail started by an append this store announced itself.
      await polling.appendToStream(`announced-${randomUUID()}`, [event('Announced')]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Written by hand, as a writer whose NOTIFY was lost would leave it.
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const written = event('Unannounced');
      await client.query('select * from es_append($1, $2, $3, $4, $5, $6)', [`quiet-${randomUUID()}`, 'any', [written.id], [written.type], ['{}'], ['{}']]);
      await client.end();
      for (const events of seen) await eventually(async () => events.length === 1, 5_000, 'the unannounced event');
      expect(seen.map((events) => events[0].id)).toEqual([written.id, written.id]);
    } finally {
      await Promise.all(subscriptions.map((s) => s.stop()));
      await polling.close();
    }
  });
});

async function readWholeLog(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let from: string | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
    events.push(...page);
    if (page.length < 1000) return events;
    from = page[page.length - 1].position;
  }
}

function matches(event: RecordedEvent, filter: EventFilter): boolean {
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return !filter.streamNamePrefixes || filter.streamNamePrefixes.some((p) => event.streamName.startsWith(p));
}

/** Counts the store's page queries (readPage's, the only ones asking for the snapshot's xmin). */
function countPageQueries(store: PostgresEventStore): { pages: number } {
  const counted = { pages: 0 };
  const pool = (store as unknown as { pool: Pool }).pool;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('pg_snapshot_xmin')) counted.pages++;
    return query(...args);
  };
  return counted;
}
