import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { Client } from 'pg';
import {
  createKnex,
  currentContext,
  PROCESS_MANAGER_LEASE_CLASS,
  type ProcessManagerDefinition,
  ProcessManagerStore,
  ProcessManagerWorker,
  type RequestContext,
} from '@app/core';
import { PostgresEventStore, type RecordedEvent } from '@app/eventstore';
import { LeaseLostError } from '../libs/core/src/leases/lease';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';


const event = (type: string, n: number) => ({ id: randomUUID(), type, data: { n } });

/** A process manager that records what it was told, and can be made to fail. */
function recorder(name: string, eventTypes = ['Ping']) {
  const seen: number[] = [];
  const state = { failuresLeft: 0 };
  const definition: ProcessManagerDefinition = {
    name,
    eventTypes,
    handler: {
      async handle(e: RecordedEvent) {
        if (state.failuresLeft > 0) {
          state.failuresLeft -= 1;
          throw new Error(`refused ${(e.data as { n: number }).n}`);
        }
        seen.push((e.data as { n: number }).n);
      },
    },
  };
  return { definition, seen, state };
}

describe('process manager runtime', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let knex: Knex;
  let checkpoints: ProcessManagerStore;
  const workers: ProcessManagerWorker[] = [];

  function worker(definitions: ProcessManagerDefinition[]) {
    const w = new ProcessManagerWorker({ connectionString: database.url, store, knex, processManagers: definitions, retryDelayMs: 5, maxRetryDelayMs: 20, leaseCheckMs: 50 });
    workers.push(w);
    return w;
  }

  beforeEach(async () => {
    database = await createTestDatabase('process_managers');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 5, pollIntervalMs: 50 });
    knex = createKnex(database.url, 5);
    checkpoints = new ProcessManagerStore(knex);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await store.close();
    await knex.destroy();
    await database.drop();
  });

  it('moves a checkpoint only while the lease is held: a lost lease fences the write off', async () => {
    await checkpoints.install('fenced');
    const leaseHolder = new Client({ connectionString: database.url });
    await leaseHolder.connect();
    try {
      const { rows } = await leaseHolder.query<{ key: number; pid: number; taken: boolean }>(
        'select hashtext($1) as key, pg_backend_pid() as pid, pg_try_advisory_lock($2, hashtext($1)) as taken',
        ['fenced', PROCESS_MANAGER_LEASE_CLASS],
      );
      const lease = { leaseClass: PROCESS_MANAGER_LEASE_CLASS, key: rows[0].key, pid: rows[0].pid };
      expect(rows[0].taken).toBe(true);
      const { position } = await store.appendToStream('fence', [event('Ping', 1)]);
      await checkpoints.moveCheckpoint('fenced', position, lease);
      expect((await checkpoints.checkpoint('fenced'))?.position).toBe(position);

      await leaseHolder.query('select pg_advisory_unlock($2, hashtext($1))', ['fenced', PROCESS_MANAGER_LEASE_CLASS]);
      await expect(checkpoints.moveCheckpoint('fenced', position, lease)).rejects.toThrow(LeaseLostError);
      await expect(checkpoints.moveCheckpoint('fenced', position, { ...lease, leaseClass: PROCESS_MANAGER_LEASE_CLASS + 1 })).rejects.toThrow(
        'Lease of process manager fenced lost',
      );
    } finally {
      await leaseHolder.end();
    }
  });

  it('hands over each event of its types once, in log order, and checkpoints past the others', async () => {
    await store.appendToStream('a', [event('Ping', 1), event('Pong', 2), event('Ping', 3)]);
    const pings = recorder('pings');
    await worker([pings.definition]).start();
    await store.appendToStream('b', [event('Ping', 4), event('Pong', 5)]);
    const head = (await store.headPosition())!;
    // waitFor resolves once reached and rejects on timeout (issue 12: one waiting contract); it used to resolve true or false.
    await expect(checkpoints.waitFor('pings', head, 5000)).resolves.toBeUndefined();
    expect(pings.seen).toEqual([1, 3, 4]);
  });

  it('runs each reaction in the correlation of the event it reacts to, caused by that event', async () => {
    const contexts: Array<RequestContext | undefined> = [];
    const definition: ProcessManagerDefinition = { name: 'correlated', eventTypes: ['Ping'], handler: { handle: async () => void contexts.push(currentContext()) } };
    const ping = { ...event('Ping', 1), metadata: { correlationId: randomUUID(), traceKey: randomUUID(), userId: randomUUID() } };
    await store.appendToStream('a', [ping]);
    await worker([definition]).start();
    await expect(checkpoints.waitFor('correlated', (await store.headPosition())!, 5000)).resolves.toBeUndefined();
    expect(contexts).toEqual([{ ...ping.metadata, causationId: ping.id }]);
  });

  it('retries a failing event with backoff, shows the error meanwhile, and never skips it', async () => {
    const pings = recorder('flaky');
    pings.state.failuresLeft = Number.POSITIVE_INFINITY;
    await store.appendToStream('a', [event('Ping', 1), event('Ping', 2)]);
    await worker([pings.definition]).start();
    const failing = await eventually(async () => {
      const row = await checkpoints.checkpoint('flaky');
      return row && row.attempts >= 3 ? row : null;
    });
    expect(failing).toMatchObject({ position: null, last_error: 'refused 1' });
    expect(pings.seen).toEqual([]);

    pings.state.failuresLeft = 0;
    await expect(checkpoints.waitFor('flaky', (await store.headPosition())!, 5000)).resolves.toBeUndefined();
    expect(pings.seen).toEqual([1, 2]);
    expect(await checkpoints.checkpoint('flaky')).toMatchObject({ attempts: 0, last_error: null });
  });

  it('resumes after its checkpoint when restarted, and redelivers from wherever the checkpoint is set', async () => {
    const first = recorder('resumable');
    await store.appendToStream('a', [event('Ping', 1), event('Ping', 2)]);
    const w = worker([first.definition]);
    await w.start();
    await expect(checkpoints.waitFor('resumable', (await store.headPosition())!, 5000)).resolves.toBeUndefined();
    await w.stop();

    await store.appendToStream('a', [event('Ping', 3)]);
    const second = recorder('resumable');
    const again = worker([second.definition]);
    await again.start();
    await expect(checkpoints.waitFor('resumable', (await store.headPosition())!, 5000)).resolves.toBeUndefined();
    expect(second.seen).toEqual([3]);
    await again.stop();

    await checkpoints.resetCheckpoint('resumable', null);
    const third = recorder('resumable');
    await worker([third.definition]).start();
    await eventually(async () => third.seen.length === 3);
    expect(third.seen).toEqual([1, 2, 3]);
  });

  it('runs each process manager in exactly one worker, and another takes over when it stops', async () => {
    const one = recorder('exclusive');
    const two = recorder('exclusive');
    const w1 = worker([one.definition]);
    const w2 = worker([two.definition]);
    await w1.start();
    await w2.start();
    expect(w1.owned).toEqual(['exclusive']);
    expect(w2.owned).toEqual([]);
    await store.appendToStream('a', [event('Ping', 1)]);
    await eventually(async () => one.seen.length === 1);
    await w1.stop();
    await store.appendToStream('a', [event('Ping', 2)]);
    await eventually(async () => two.seen.length === 1, 10_000, 'the second worker to take over');
    expect(one.seen).toEqual([1]);
    expect(two.seen).toEqual([2]);
  });
});
