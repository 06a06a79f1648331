import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Pool } from 'pg';
import { createKnex, ProjectionStore, ProjectionWorker } from '@app/core';
import { PostgresEventStore } from '@app/eventstore';
import { countingProjection } from './fixtures/counting-projection';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One worker process reads the log once for all the projections it runs (the event store's shared
 * tail), and each projection still goes at its own pace: a slow one and a halted one hold back
 * none of the others, and each keeps its own checkpoint.
 */
describe('one log reader per worker process', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let knex: Knex;
  let worker: ProjectionWorker;
  const pageQueries = { unfiltered: 0, filtered: 0 };

  beforeAll(async () => {
    database = await createTestDatabase('one_reader');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 10, pollIntervalMs: 100 });
    knex = createKnex(database.url, 10);
    // Counts the log's page queries (the only ones asking for the snapshot's xmin): the shared
    // tail's are unfiltered, a subscription reading for itself filters by type.
    const pool = (store as unknown as { pool: Pool }).pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('pg_snapshot_xmin')) pageQueries[args[0].includes('e.type = any') ? 'filtered' : 'unfiltered']++;
      return query(...args);
    };
  });

  afterAll(async () => {
    await worker?.stop();
    await store.close();
    await knex.destroy();
    await database.drop();
  });

  async function applied(name: string): Promise<number[]> {
    const rows = await knex(`${name}_applied`).select('n').orderBy('position');
    return rows.map((row: { n: number }) => row.n);
  }

  it('fans every append out to every projection from about one read, while a slow one lags and a halted one stops, alone', async () => {
    const fast = ['fast_a', 'fast_b', 'fast_c', 'fast_d', 'fast_e', 'fast_f'].map((name) => countingProjection({ name }));
    // A quarter of a second per event: 300 events would take it 75 s.
    const slow = countingProjection({ name: 'slow', onApply: () => delay(250) });
    const halting = countingProjection({
      name: 'halting',
      onApply: (n) => {
        if (n === 50) throw new Error('cannot apply tick 50');
      },
    });
    worker = new ProjectionWorker({
      connectionString: database.url,
      store,
      knex,
      projections: [...fast, slow, halting],
      batchSize: 20,
      maxRetries: 1,
      retryDelayMs: 5,
      leaseCheckMs: 100,
    });
    await worker.start();
    // Every projection has started reading; from here on each is at the head of an empty log.
    await eventually(async () => Number((await knex('projection_checkpoints').where({ caught_up: true }).count<{ count: string }[]>('* as count'))[0].count) === 8, 20_000, 'every projection caught up');

    const before = { ...pageQueries };
    // Appends a few milliseconds apart, as commands arrive: each one wakes every projection.
    const total = 300;
    for (let n = 0; n < total; n++) {
      await store.appendToStream(`tick-${n % 4}`, [{ id: randomUUID(), type: 'Tick', data: { n } }]);
      await delay(3);
    }
    for (const projection of fast) await eventually(async () => (await applied(projection.name)).length === total, 30_000, `${projection.name} has every tick`);
    const counted = { unfiltered: pageQueries.unfiltered - before.unfiltered, filtered: pageQueries.filtered - before.filtered };

    // Each fast projection applied every event once, in log order.
    const log = (await store.readAll({ maxCount: 10_000 })).filter((e) => e.type === 'Tick').map((e) => (e.data as { n: number }).n);
    for (const projection of fast) expect(await applied(projection.name)).toEqual(log);

    // The slow one is far behind, yet nobody waited for it; what it has applied is the log's start, in order.
    const slowSoFar = await applied('slow');
    expect(slowSoFar.length).toBeLessThan(total / 2);
    expect(slowSoFar).toEqual(log.slice(0, slowSoFar.length));

    // The halted one stopped just before the event it cannot apply, and its checkpoint says so.
    const state = await new ProjectionStore(knex).state('halting');
    expect(state?.halted).toBe(true);
    expect(await applied('halting')).toEqual(log.slice(0, log.indexOf(50)));

    // Reading for themselves, the eight subscriptions sent about 750 page queries here (and about
    // 580 through the tail before a subscription could be answered from it as it was); now the
    // worker reads the log at most about once per append (each append wakes them all) for all of
    // them. How many of those are a subscription's own filtered reads depends on the machine's load
    // (one that falls behind a refresh reads for itself), so only the whole is bounded, with room
    // for that load (1.06 per append was seen under CI's), below the 1.9 per append of before.
    expect(counted.unfiltered + counted.filtered).toBeLessThanOrEqual(1.5 * total);
  }, 90_000);
});
