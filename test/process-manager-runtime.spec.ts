import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { Client } from 'pg';
import {
  createKnex,
  currentContext,
  deterministicId,
  PROCESS_MANAGER_LEASE_CLASS,
  type ProcessManagerDefinition,
  ProcessManagerNotFailingError,
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

  function worker(definitions: ProcessManagerDefinition[], options: Partial<ConstructorParameters<typeof ProcessManagerWorker>[0]> = {}) {
    const w = new ProcessManagerWorker({ connectionString: database.url, store, knex, processManagers: definitions, retryDelayMs: 5, maxRetryDelayMs: 20, leaseCheckMs: 50, ...options });
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
    jest.restoreAllMocks();
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
    // 1, 3 (stream a) and 4 (stream b) are in log order across streams only one at a time; with more, per stream (see below).
    await worker([pings.definition], { concurrency: 1 }).start();
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
    const head = (await store.headPosition())!;
    await expect(checkpoints.waitFor('correlated', head, 5000)).resolves.toBeUndefined();
    // Alone in its batch: the batch was delivered up to the ping itself.
    expect(contexts).toEqual([
      { ...ping.metadata, causationId: ping.id, writes: { upTo: null, types: new Set() }, reaction: 'correlated', deliveredUpTo: head },
    ]);
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

  it('gives a process manager with handleAll each batch whole, in log order, and retries a failed batch whole', async () => {
    const batches: number[][] = [];
    let failuresLeft = 2;
    const definition: ProcessManagerDefinition = {
      name: 'batched',
      eventTypes: ['Ping'],
      handler: {
        handle: async () => {
          throw new Error('handleAll is used instead');
        },
        async handleAll(events: readonly RecordedEvent[]) {
          if (failuresLeft-- > 0) throw new Error('refused the batch');
          batches.push(events.map((e) => (e.data as { n: number }).n));
        },
      },
    };
    await store.appendToStream('a', [event('Ping', 1), event('Pong', 2), event('Ping', 3)]);
    await store.appendToStream('b', [event('Ping', 4)]);
    await worker([definition], { batchSize: 2 }).start();
    await expect(checkpoints.waitFor('batched', (await store.headPosition())!, 5000)).resolves.toBeUndefined();
    expect(batches).toEqual([[1, 3], [4]]);
    expect(await checkpoints.checkpoint('batched')).toMatchObject({ attempts: 0, last_error: null });
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

  /**
   * An idempotent reaction: its effect is an event appended to `effects-<key>` with an id derived
   * from the reacted-to event, so a redelivery writes nothing; `delivered` counts what it was told.
   */
  function idempotentEffects(name: string, keyOf: (e: RecordedEvent) => string, before?: (n: number) => Promise<void>) {
    const delivered = new Map<number, number>();
    const definition: ProcessManagerDefinition = {
      name,
      eventTypes: ['Ping'],
      keyOf,
      handler: {
        async handle(e: RecordedEvent) {
          const { n } = e.data as { n: number };
          delivered.set(n, (delivered.get(n) ?? 0) + 1);
          await before?.(n);
          await store.appendToStream(`effects-${keyOf(e)}`, [{ id: deterministicId(e.id, 'effect'), type: 'Effect', data: { n } }]);
        },
      },
    };
    const effects = async (key: string) => (await store.readStream(`effects-${key}`)).map((e) => (e.data as { n: number }).n);
    return { definition, delivered, effects };
  }

  it('handles different keys of a batch concurrently, and each key\'s events one after another in log order', async () => {
    const keys = Array.from({ length: 12 }, (_, k) => `k${k}`);
    // 240 events interleaved across the keys in one stream, so the keys are told apart by keyOf alone.
    const pings = Array.from({ length: 240 }, (_, n) => ({ id: randomUUID(), type: 'Ping', data: { n, key: keys[(n * 7) % keys.length] } }));
    await store.appendToStream('mixed', pings);
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let mostInFlight = 0;
    const perKeyInFlight = new Map<string, number>();
    let overlapsWithinAKey = 0;
    const definition: ProcessManagerDefinition = {
      name: 'keyed',
      eventTypes: ['Ping'],
      keyOf: (e) => (e.data as { key: string }).key,
      handler: {
        async handle(e: RecordedEvent) {
          const { n, key } = e.data as { n: number; key: string };
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          perKeyInFlight.set(key, (perKeyInFlight.get(key) ?? 0) + 1);
          if (perKeyInFlight.get(key)! > 1) overlapsWithinAKey += 1;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
          seen.set(key, [...(seen.get(key) ?? []), n]);
          perKeyInFlight.set(key, perKeyInFlight.get(key)! - 1);
          inFlight -= 1;
        },
      },
    };
    await worker([definition], { concurrency: 5 }).start();
    await expect(checkpoints.waitFor('keyed', (await store.headPosition())!, 20_000)).resolves.toBeUndefined();
    for (const key of keys) {
      expect(seen.get(key)).toEqual(pings.filter((p) => p.data.key === key).map((p) => p.data.n));
    }
    expect(overlapsWithinAKey).toBe(0);
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(5);
  });

  it('on a failure in the middle of a batch checkpoints just before the failed event, and after the fix handles every event without a duplicate effect', async () => {
    const positions: string[] = [];
    for (let n = 1; n <= 10; n++) positions.push((await store.appendToStream(`s${n}`, [event('Ping', n)])).position);
    const broken = { on: true };
    const failing = idempotentEffects('halfway', (e) => e.streamName, async (n) => {
      if (n === 5 && broken.on) throw new Error('refused 5');
    });
    const first = worker([failing.definition]);
    await first.start();
    const row = await eventually(async () => {
      const r = await checkpoints.checkpoint('halfway');
      return r && r.attempts >= 3 ? r : null;
    });
    // Everything before 5 in log order was handled, so the checkpoint is just before it; the other keys went on.
    expect(row).toMatchObject({ position: positions[3], last_error: 'refused 5' });
    for (const n of [1, 2, 3, 4, 6, 7, 8, 9, 10]) expect(await failing.effects(`s${n}`)).toEqual([n]);
    expect(await failing.effects('s5')).toEqual([]);
    await first.stop();
    expect((await checkpoints.checkpoint('halfway'))?.position).toBe(positions[3]);

    // Fixed, and run by a new worker: 5 and everything after it is delivered again, nothing before it.
    broken.on = false;
    const fixed = idempotentEffects('halfway', (e) => e.streamName);
    await worker([fixed.definition]).start();
    await expect(checkpoints.waitFor('halfway', positions[9], 10_000)).resolves.toBeUndefined();
    expect([...fixed.delivered.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10]);
    for (let n = 1; n <= 10; n++) expect(await fixed.effects(`s${n}`)).toEqual([n]);
    expect(await checkpoints.checkpoint('halfway')).toMatchObject({ attempts: 0, last_error: null });
  });

  it('stopped in the middle of a batch while a handler is blocked, it leaves no event unhandled and no duplicate effect once another worker runs it', async () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const pings = Array.from({ length: 60 }, (_, n) => ({ id: randomUUID(), type: 'Ping', data: { n, key: keys[n % keys.length] } }));
    await store.appendToStream('mixed', pings);
    const stored = await store.readStream('mixed');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let blocked: () => void = () => undefined;
    const blockedNow = new Promise<void>((resolve) => (blocked = resolve));
    const keyOf = (e: RecordedEvent) => (e.data as { key: string }).key;
    const dying = idempotentEffects('killed', keyOf, async (n) => {
      if (n === 20) {
        blocked();
        await gate;
      }
    });
    const first = worker([dying.definition], { concurrency: 3 });
    await first.start();
    await blockedNow;
    const stopping = first.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await stopping;
    // It stopped before the end: whatever it left unhandled is after its checkpoint.
    const left = (await checkpoints.checkpoint('killed'))!.position;
    const unhandled = stored.filter((e) => !dying.delivered.has((e.data as { n: number }).n));
    expect(unhandled.length).toBeGreaterThan(0);
    for (const e of unhandled) expect(left === null || e.position > left).toBe(true);

    const next = idempotentEffects('killed', keyOf);
    await worker([next.definition]).start();
    await expect(checkpoints.waitFor('killed', stored[stored.length - 1].position, 10_000)).resolves.toBeUndefined();
    for (let n = 0; n < pings.length; n++) expect((dying.delivered.get(n) ?? 0) + (next.delivered.get(n) ?? 0)).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      // Each event's effect exactly once, in the key's log order.
      expect(await next.effects(key)).toEqual(pings.filter((p) => p.data.key === key).map((p) => p.data.n));
    }
  });

  it('moves the checkpoint once per batch, to the batch\'s last event', async () => {
    const pings = Array.from({ length: 250 }, (_, n) => ({ id: randomUUID(), type: 'Ping', data: { n } }));
    await store.appendToStream('many', pings);
    const stored = await store.readStream('many');
    const moves = jest.spyOn(ProcessManagerStore.prototype, 'moveCheckpoint');
    const many = recorder('batched');
    await worker([many.definition]).start();
    await expect(checkpoints.waitFor('batched', stored[stored.length - 1].position, 10_000)).resolves.toBeUndefined();
    expect(many.seen).toEqual(pings.map((p) => p.data.n));
    // The subscription delivers at most 100 events a batch: three batches, three writes.
    const written = moves.mock.calls.filter(([name]) => name === 'batched').map(([, to]) => to);
    expect(written).toEqual([stored[99].position, stored[199].position, stored[249].position]);
  });

  /** Handles every Ping but those whose n is in `poison`, which it refuses every time. */
  function poisoned(name: string, poison: number[]) {
    const seen: number[] = [];
    const definition: ProcessManagerDefinition = {
      name,
      eventTypes: ['Ping'],
      handler: {
        async handle(e: RecordedEvent) {
          const { n } = e.data as { n: number };
          if (poison.includes(n)) throw new Error(`cannot handle ${n}`);
          seen.push(n);
        },
      },
    };
    return { definition, seen };
  }

  const failingOn = (name: string, eventId: string) =>
    eventually(async () => {
      const row = await checkpoints.checkpoint(name);
      return row && row.attempts >= 2 && row.failing_event_id === eventId ? row : null;
    });

  it('records the event it fails on, and skips exactly that event when another process asks, then goes on', async () => {
    const stored = [
      ...(await store.appendToStream('s1', [event('Ping', 1)]), await store.readStream('s1')),
      ...(await store.appendToStream('s2', [event('Ping', 2), event('Ping', 3)]), await store.readStream('s2')),
      ...(await store.appendToStream('s4', [event('Ping', 4)]), await store.readStream('s4')),
    ];
    const poison = stored[1];
    const log = jest.fn();
    const pm = poisoned('poisoned', [2]);
    await worker([pm.definition], { log, skipCheckMs: 10 }).start();

    const row = await failingOn('poisoned', poison.id);
    expect(row).toMatchObject({ position: stored[0].position, last_error: 'cannot handle 2', failing_event_type: 'Ping', failing_position: poison.position, skip_event_id: null });
    // 3 waits behind 2 (same stream); 4 (another stream) went on.
    expect(pm.seen.sort()).toEqual([1, 4]);

    // The api or the CLI: another process, with its own connections, writes the request into the row.
    const otherKnex = createKnex(database.url, 1);
    try {
      const requested = await new ProcessManagerStore(otherKnex).requestSkip('poisoned', 'operator-1');
      expect(requested).toEqual({ eventId: poison.id, type: 'Ping', position: poison.position });
    } finally {
      await otherKnex.destroy();
    }
    await expect(checkpoints.waitFor('poisoned', stored[3].position, 5000)).resolves.toBeUndefined();
    expect(pm.seen.sort()).toEqual([1, 3, 4]);
    expect(await checkpoints.checkpoint('poisoned')).toMatchObject({
      attempts: 0,
      last_error: null,
      failing_event_id: null,
      failing_position: null,
      skip_event_id: null,
      skip_requested_by: null,
    });
    expect(log).toHaveBeenCalledWith(
      'warn',
      'process manager skipped the event it failed on, as an operator asked',
      expect.objectContaining({ processManager: 'poisoned', eventId: poison.id, position: poison.position, requestedBy: 'operator-1', error: 'cannot handle 2' }),
    );
  });

  it('never skips any other event: a request for an event it is not failing on lapses, and one that is not failing cannot be asked', async () => {
    await store.appendToStream('a', [event('Ping', 1), event('Ping', 2)]);
    const [poison] = await store.readStream('a');
    const pm = poisoned('strict', [1]);
    await expect(checkpoints.requestSkip('strict', 'operator-1')).rejects.toThrow(ProcessManagerNotFailingError);
    await worker([pm.definition], { skipCheckMs: 5 }).start();
    await failingOn('strict', poison.id);

    // A request naming another event (say, one it failed on before a restart) is not for this one.
    await knex('process_manager_checkpoints').where({ name: 'strict' }).update({ skip_event_id: randomUUID(), skip_requested_at: new Date() });
    const { attempts } = (await checkpoints.checkpoint('strict'))!;
    const later = await eventually(async () => {
      const row = await checkpoints.checkpoint('strict');
      return row && row.attempts >= attempts + 3 ? row : null;
    });
    expect(later).toMatchObject({ position: null, failing_event_id: poison.id, skip_event_id: null });
    expect(pm.seen).toEqual([]);
    // Unknown to the store too: nothing is failing under that name.
    await expect(checkpoints.requestSkip('nobody', null)).rejects.toMatchObject({ code: 'PROCESS_MANAGER_NOT_FAILING', status: 409 });
  });

  it('a skip asked while no worker runs it is honoured by the next one, at its first failure on that event', async () => {
    await store.appendToStream('a', [event('Ping', 1), event('Ping', 2)]);
    const [poison, next] = await store.readStream('a');
    const first = worker([poisoned('handed-over', [1]).definition], { skipCheckMs: 1000, retryDelayMs: 60_000, maxRetryDelayMs: 60_000 });
    await first.start();
    await eventually(async () => (await checkpoints.checkpoint('handed-over'))?.failing_event_id === poison.id);
    await first.stop();

    await checkpoints.requestSkip('handed-over', 'operator-1');
    const pm = poisoned('handed-over', [1]);
    await worker([pm.definition], { skipCheckMs: 1000, retryDelayMs: 60_000, maxRetryDelayMs: 60_000 }).start();
    await expect(checkpoints.waitFor('handed-over', next.position, 5000)).resolves.toBeUndefined();
    expect(pm.seen).toEqual([2]);
  });
});
