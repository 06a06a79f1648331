import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import {
  ConsistencyWaiter,
  createKnex,
  postgresCounter,
  ProjectionStatusReader,
  ProjectionStore,
  ProjectionWorker,
  ReadModelLaggingError,
  type ProjectionDefinition,
} from '@app/core';
import { PostgresEventStore } from '@app/eventstore';
import { countingProjection } from './fixtures/counting-projection';
import { exited, startFixture } from './support/child-process';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const tick = (n: number) => ({ id: randomUUID(), type: 'Tick', data: { n } });

async function appendTicks(store: PostgresEventStore, count: number, streams = 5, offset = 0): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) => tick(offset + i + j));
    await store.appendToStream(`tick-${(i / 100) % streams}`, batch);
  }
}

async function appliedCount(knex: Knex, table = 'tick_counts_applied'): Promise<number> {
  const [{ count }] = await knex(table).count<{ count: string }[]>('* as count');
  return Number(count);
}

describe('projection runtime', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let knex: Knex;
  const workers: ProjectionWorker[] = [];

  function worker(projections: ProjectionDefinition[], options: Partial<ConstructorParameters<typeof ProjectionWorker>[0]> = {}) {
    const w = new ProjectionWorker({ connectionString: database.url, store, knex, projections, batchSize: 100, leaseCheckMs: 100, retryDelayMs: 5, ...options });
    workers.push(w);
    return w;
  }

  beforeEach(async () => {
    database = await createTestDatabase('projections');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 5, pollIntervalMs: 100 });
    knex = createKnex(database.url, 5);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await store.close();
    await knex.destroy();
    await database.drop();
  });

  it('applies every handled event once and moves its checkpoint past the others', async () => {
    const projection = countingProjection();
    await worker([projection]).start();
    await appendTicks(store, 250);
    const other = await store.appendToStream('unrelated-1', [{ id: randomUUID(), type: 'NotHandled', data: {} }]);
    await eventually(async () => (await appliedCount(knex)) === 250, 20_000, '250 applied');
    const rows = await knex('tick_counts_streams').orderBy('stream_name');
    expect(rows.map((r) => r.count).reduce((a, b) => a + b, 0)).toBe(250);

    // Read-your-writes for a position whose event this projection does not handle still returns.
    const waiter = new ConsistencyWaiter(new ProjectionStore(knex));
    await waiter.waitFor(['tick_counts'], other.position, 5_000);
  });

  it('a projection that sets its own batchSize is given batches of up to that many, whatever the worker’s', async () => {
    await appendTicks(store, 250, 1);
    const sizes: number[] = [];
    const counting = countingProjection();
    const projection = { ...counting, batchSize: 250, apply: (events: Parameters<typeof counting.apply>[0], context: Parameters<typeof counting.apply>[1]) => (sizes.push(events.length), counting.apply(events, context)) };
    await worker([projection], { batchSize: 100 }).start();
    await eventually(async () => (await appliedCount(knex)) === 250, 20_000, '250 applied');
    expect(Math.max(...sizes)).toBeGreaterThan(100);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(250);
  });

  it('an idle projection moves its checkpoint past other events now and then, not per append, and read-your-writes does not wait for that', async () => {
    const projection = countingProjection();
    const positionOf = async () => (await new ProjectionStore(knex).servingPositions([projection.name])).get(projection.name);
    const w = worker([projection], { idleCheckpointMs: 60_000 });
    await w.start();
    await store.appendToStream('tick-0', [tick(1)]);
    await eventually(async () => (await appliedCount(knex)) === 1, 10_000, 'the tick applied');
    // The first move past other events is written at once; the next ones wait out idleCheckpointMs.
    const first = await store.appendToStream('unrelated-1', [{ id: randomUUID(), type: 'NotHandled', data: {} }]);
    await eventually(async () => (await positionOf()) === first.position, 10_000, 'the first idle move');
    let last = first;
    for (let i = 0; i < 20; i++) last = await store.appendToStream('unrelated-1', [{ id: randomUUID(), type: 'NotHandled', data: {} }]);
    await delay(300);
    expect(await positionOf()).toBe(first.position);

    const waiter = new ConsistencyWaiter(new ProjectionStore(knex), { log: store });
    // Nothing of its types past its checkpoint: there already.
    await waiter.waitFor([projection], last.position, 2_000);
    // A position the log has not reached yet is not.
    expect(await waiter.waitFor([projection], 'ffffffffffffffff-ffffffffffffffff', 200).catch((e) => e)).toBeInstanceOf(ReadModelLaggingError);

    // An event of its types it has not applied (its worker is stopped) is waited for, however idle it was.
    await w.stop();
    const unapplied = await store.appendToStream('tick-0', [tick(2)]);
    expect(await waiter.waitFor([projection], unapplied.position, 300).catch((e) => e)).toBeInstanceOf(ReadModelLaggingError);
    await worker([projection], { idleCheckpointMs: 60_000 }).start();
    await waiter.waitFor([projection], unapplied.position, 10_000);
    expect(await appliedCount(knex)).toBe(2);
  });

  it('read-your-writes answers READ_MODEL_LAGGING when the projection does not get there in time', async () => {
    await new ProjectionStore(knex).install(countingProjection());
    const { position } = await store.appendToStream('tick-0', [tick(1)]);
    const waiter = new ConsistencyWaiter(new ProjectionStore(knex));
    const error = await waiter.waitFor(['tick_counts'], position, 200).catch((e) => e);
    expect(error).toBeInstanceOf(ReadModelLaggingError);
    expect(error).toMatchObject({ code: 'READ_MODEL_LAGGING', status: 503 });
  });

  it('read-your-writes stops waiting at once when its signal aborts (a shutdown)', async () => {
    await new ProjectionStore(knex).install(countingProjection());
    const { position } = await store.appendToStream('tick-0', [tick(1)]);
    const waiter = new ConsistencyWaiter(new ProjectionStore(knex));
    const controller = new AbortController();
    const waiting = waiter.waitFor(['tick_counts'], position, 30_000, controller.signal).catch((e) => e);
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    // The abort's reason, not READ_MODEL_LAGGING: it did not sit out its 30 s.
    expect(await waiting).toMatchObject({ message: 'shutting down' });
  });

  it('a crash in the middle of a batch repeats and loses nothing', async () => {
    await appendTicks(store, 500);
    const marker = join(mkdtempSync(join(tmpdir(), 'crash-')), 'crashed');
    const doomed = await startFixture('projection-worker.fixture', [database.url, '250', marker]);
    expect(await exited(doomed)).toBeNull(); // killed by SIGKILL while applying n = 250

    const applied = await appliedCount(knex);
    expect(applied).toBeLessThan(500);
    expect(applied % 100).toBe(0); // only whole batches committed

    await worker([countingProjection()]).start();
    await eventually(async () => (await appliedCount(knex)) === 500, 20_000, 'all applied after the crash');
    const [{ total }] = await knex('tick_counts_streams').sum<{ total: string }[]>('total as total');
    expect(Number(total)).toBe((499 * 500) / 2);
  });

  it('two worker processes never run one projection at once, and a survivor takes over a dead one', async () => {
    const first = await startFixture('projection-worker.fixture', [database.url]);
    const second = await startFixture('projection-worker.fixture', [database.url]);
    try {
      await appendTicks(store, 300);
      await eventually(async () => (await appliedCount(knex)) === 300, 20_000, '300 applied');
      const pids = (await knex('tick_counts_applied').distinct('pid')).map((r) => r.pid);
      expect(pids).toHaveLength(1);

      const owner = pids[0] === first.pid ? first : second;
      const survivor = owner === first ? second : first;
      owner.kill('SIGKILL');
      await exited(owner);
      await appendTicks(store, 200, 5, 300);
      await eventually(async () => (await appliedCount(knex)) === 500, 20_000, 'survivor applied the rest');
      const later = await knex('tick_counts_applied').where('n', '>=', 300).distinct('pid');
      expect(later.map((r) => r.pid)).toEqual([survivor.pid]);
    } finally {
      first.kill('SIGKILL');
      second.kill('SIGKILL');
    }
  });

  it('a rebuild fills fresh tables while the old ones answer, then swaps to a read model equal to the live one', async () => {
    const projection = countingProjection();
    const w = worker([projection]);
    await w.start();
    await appendTicks(store, 400);
    await eventually(async () => (await appliedCount(knex)) === 400, 20_000, 'live applied');
    const live = await knex('tick_counts_streams').orderBy('stream_name');

    // Hold the rebuild back so the test can query while it is under way.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = countingProjection({ version: 2, onApply: () => gate });
    await w.stop();
    const rebuilding = worker([slow]);
    await rebuilding.start();
    const status = new ProjectionStatusReader(postgresCounter(knex), new ProjectionStore(knex), [slow]);
    expect((await status.report())[0]).toMatchObject({ name: 'tick_counts', status: 'rebuilding', version: 1 });
    expect(await knex('tick_counts_streams').orderBy('stream_name')).toEqual(live);

    release();
    await eventually(async () => (await status.report())[0].status === 'running', 20_000, 'swap');
    expect((await status.report())[0]).toMatchObject({ version: 2, lagEvents: 0 });
    expect(await knex('tick_counts_streams').orderBy('stream_name')).toEqual(live);
    const tables = await knex('pg_tables').where('tablename', 'like', 'tick_counts_streams__g%').pluck('tablename');
    expect(tables).toEqual(['tick_counts_streams__g2']);

    // A rebuild can also be asked for without a version change.
    await new ProjectionStore(knex).requestRebuild(slow);
    await eventually(async () => (await status.report())[0].status === 'running', 20_000, 'requested rebuild');
    expect(await knex('tick_counts_streams').orderBy('stream_name')).toEqual(live);
  });

  it('rebuild requests arriving while a rebuild is under way never halt the projection; the last one swaps', async () => {
    const projection = countingProjection({ onApply: async () => void (await delay(1)) });
    await worker([projection]).start();
    await appendTicks(store, 600);
    await eventually(async () => (await appliedCount(knex)) === 600, 30_000, 'live applied');
    const live = await knex('tick_counts_streams').orderBy('stream_name');
    const projections = new ProjectionStore(knex);
    for (let i = 0; i < 15; i++) {
      await projections.requestRebuild(projection);
      await delay(20 + (i % 4) * 15);
    }
    const status = new ProjectionStatusReader(postgresCounter(knex), projections, [projection]);
    await eventually(async () => {
      const [report] = await status.report();
      expect(report.status).not.toBe('halted');
      return report.status === 'running' && report.rebuild === null;
    }, 60_000, 'the last rebuild swapped');
    expect((await projections.state('tick_counts'))?.halted).toBe(false);
    expect(await knex('tick_counts_streams').orderBy('stream_name')).toEqual(live);
    // The retired generations' tables are dropped once their tracks have stopped.
    await eventually(async () => (await knex('pg_tables').where('tablename', 'like', 'tick_counts_%__g%').pluck('tablename')).length === 2, 20_000, 'retired tables dropped');
  });

  it('an event that keeps failing halts the projection before it; retry resumes it', async () => {
    let failing = true;
    const projection = countingProjection({
      onApply: (n) => {
        if (n === 150 && failing) throw new Error('cannot apply 150');
      },
    });
    await worker([projection]).start();
    await appendTicks(store, 200);
    const status = new ProjectionStatusReader(postgresCounter(knex), new ProjectionStore(knex), [projection]);
    const halted = await eventually(async () => {
      const [report] = await status.report();
      return report.status === 'halted' ? report : null;
    }, 20_000, 'halt');
    expect(halted.lastError).toContain('cannot apply 150');
    expect(halted.lagEvents).toBe(50);
    expect(await appliedCount(knex)).toBe(150);

    failing = false;
    await new ProjectionStore(knex).resume('tick_counts');
    await eventually(async () => (await appliedCount(knex)) === 200, 20_000, 'resumed');
    // The report says "catching_up" until the worker has seen the head after the last batch.
    await eventually(async () => (await status.report())[0].status === 'running', 20_000, 'running again');
    expect((await status.report())[0]).toMatchObject({ status: 'running', lastError: null });
  });

  it('an idle worker reads every projection’s state once per lease check, not once per projection', async () => {
    const projections = ['idle_a', 'idle_b', 'idle_c', 'idle_d'].map((name) => countingProjection({ name }));
    await worker(projections).start();
    await appendTicks(store, 10);
    await eventually(async () => Number((await knex('projection_checkpoints').where({ caught_up: true }).count<{ count: string }[]>('* as count'))[0].count) === projections.length, 20_000, 'every projection caught up');
    const reads = { all: 0, one: 0 };
    const count = (query: { sql: string }) => {
      if (query.sql.includes('"projection_state"') && query.sql.startsWith('select')) reads[query.sql.includes('"name" =') ? 'one' : 'all']++;
    };
    knex.on('query', count);
    const startedAt = Date.now();
    await delay(1000);
    knex.off('query', count);
    const checks = (Date.now() - startedAt) / 100;
    expect(reads.one).toBe(0);
    expect(reads.all).toBeGreaterThanOrEqual(checks / 2);
    expect(reads.all).toBeLessThanOrEqual(checks + 1);
  });

  it('an operator can skip the event a projection halted on, and only that one', async () => {
    const projection = countingProjection({
      onApply: (n) => {
        if (n === 42) throw new Error('poison');
      },
    });
    await worker([projection]).start();
    await appendTicks(store, 100);
    const status = new ProjectionStatusReader(postgresCounter(knex), new ProjectionStore(knex), [projection]);
    await eventually(async () => (await status.report())[0].status === 'halted', 20_000, 'halt');
    await new ProjectionStore(knex).skip('tick_counts');
    await eventually(async () => (await appliedCount(knex)) === 99, 20_000, 'the rest applied');
    expect(await knex('tick_counts_applied').where({ n: 42 })).toEqual([]);
  });
});
