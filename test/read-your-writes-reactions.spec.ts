import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  CommandRunner,
  ConsistencyWaiter,
  createKnex,
  type Decider,
  defineProjection,
  deterministicId,
  EventSchemaRegistry,
  type ProcessManagerDefinition,
  ProcessManagerStore,
  ProcessManagerWorker,
  ProjectionStore,
  ProjectionWorker,
  ReactionGraph,
  ReadModelLaggingError,
} from '@app/core';
import { PostgresEventStore, type RecordedEvent } from '@app/eventstore';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';

/**
 * Read-your-writes through reactions (issue 13): pricing reacts to Ordered and writes Priced;
 * charging reacts to Priced and writes Charged; the charges read model reads Charged. A query with
 * `?after=<position of Ordered>` on charges must see the charge, although both writes come later.
 */
type Once = { type: 'Write'; data: { eventType: string; orderId: string } };
type Written = { type: string; data: { orderId: string } };
const once: Decider<Once, Written, { done: boolean }> = {
  initialState: () => ({ done: false }),
  decide: (command, state) => (state.done ? [] : [{ type: command.data.eventType, data: { orderId: command.data.orderId } }]),
  evolve: () => ({ done: true }),
};

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const charges = defineProjection<Written, 'order_charges'>({
  name: 'order_charges',
  version: 1,
  tables: { order_charges: (t) => t.text('order_id').primary() },
  eventTypes: ['Charged'],
  apply: async (events, { table }) => {
    for (const event of events) await table('order_charges').insert({ order_id: event.data.orderId }).onConflict('order_id').ignore();
  },
});

describe('read-your-writes through process managers', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let knex: Knex;
  let runner: CommandRunner;
  let processManagers: ProcessManagerStore;
  const stops: Array<() => Promise<void>> = [];
  const logged: Array<{ level: string; message: string; details?: Record<string, unknown> }> = [];

  /** A reaction that, `slowMs` after it is told an event of `from`, writes one `to` for the order (once). */
  function reaction(name: string, from: string, to: string, slowMs: number, emits: string[] = [to]): ProcessManagerDefinition {
    return {
      name,
      eventTypes: [from],
      emits,
      handler: {
        async handle(event: RecordedEvent) {
          await delay(slowMs);
          const { orderId } = event.data as { orderId: string };
          await runner.run(once, `${to}-${orderId}`, { type: 'Write', data: { eventType: to, orderId } }, { eventIds: [deterministicId(event.id, to)] });
        },
      },
    };
  }

  const pricing = () => reaction('pricing', 'Ordered', 'Priced', 150);
  const charging = () => reaction('charging', 'Priced', 'Charged', 150);

  async function start(definitions: ProcessManagerDefinition[]): Promise<void> {
    const projections = new ProjectionWorker({ connectionString: database.url, store, knex, projections: [charges], batchSize: 100, leaseCheckMs: 50 });
    const reactions = new ProcessManagerWorker({
      connectionString: database.url,
      store,
      knex,
      processManagers: definitions,
      leaseCheckMs: 50,
      retryDelayMs: 5,
      log: (level, message, details) => void logged.push({ level, message, details }),
    });
    stops.push(() => projections.stop(), () => reactions.stop());
    await projections.start();
    await reactions.start();
  }

  function waiter(definitions: ProcessManagerDefinition[]): ConsistencyWaiter {
    return new ConsistencyWaiter(new ProjectionStore(knex), { reactions: new ReactionGraph(definitions, [charges]), processManagers });
  }

  async function order(): Promise<{ orderId: string; position: string }> {
    const orderId = randomUUID();
    const { position } = await store.appendToStream(`order-${orderId}`, [{ id: randomUUID(), type: 'Ordered', data: { orderId } }]);
    return { orderId, position };
  }

  const charged = async (orderId: string) => (await knex('order_charges').where({ order_id: orderId })).length === 1;

  beforeEach(async () => {
    database = await createTestDatabase('ryw_reactions');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 5, pollIntervalMs: 20 });
    knex = createKnex(database.url, 5);
    runner = new CommandRunner(store, new EventSchemaRegistry());
    processManagers = new ProcessManagerStore(knex);
    logged.length = 0;
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await store.close();
    await knex.destroy();
    await database.drop();
  });

  it('answers ?after= only once every process manager upstream (pricing, then charging) has handled it and the read model applied their writes', async () => {
    const definitions = [pricing(), charging()];
    await start(definitions);
    const orders = await Promise.all(Array.from({ length: 5 }, order));
    const last = orders.map((o) => o.position).sort().at(-1)!;
    await waiter(definitions).waitFor([charges], last, 10_000);
    for (const { orderId } of orders) expect(await charged(orderId)).toBe(true);
  });

  it('without the reactions declared, the same wait answers before the charge exists (what the issue saw)', async () => {
    const definitions = [pricing(), charging()];
    await start(definitions);
    const { orderId, position } = await order();
    await new ConsistencyWaiter(new ProjectionStore(knex)).waitFor([charges], position, 10_000);
    expect(await charged(orderId)).toBe(false);
  });

  it('records with each checkpoint the highest position its reactions wrote, also when a redelivery found it written', async () => {
    const definitions = [pricing()];
    await start(definitions);
    const { orderId, position } = await order();
    await processManagers.waitFor('pricing', position, 10_000);
    const [priced] = await store.readStream(`Priced-${orderId}`);
    expect((await processManagers.checkpoint('pricing'))?.written_position).toBe(priced.position);

    // From the start again: every reaction now writes nothing, and still says where its write is.
    for (const stop of stops.splice(0).reverse()) await stop();
    await processManagers.resetCheckpoint('pricing', null);
    await knex('process_manager_checkpoints').where({ name: 'pricing' }).update({ written_position: null });
    await start(definitions);
    await processManagers.waitFor('pricing', position, 10_000);
    expect((await processManagers.checkpoint('pricing'))?.written_position).toBe(priced.position);
    expect(await store.readStream(`Priced-${orderId}`)).toHaveLength(1);
  });

  it('lets a reaction wait for a read model it feeds without waiting for itself (a close run by a workflow)', async () => {
    const definitions = [pricing(), charging()];
    const waits: Array<'resolved' | 'lagging'> = [];
    const waitingCharger: ProcessManagerDefinition = {
      ...definitions[1],
      handler: {
        async handle(event: RecordedEvent) {
          await definitions[1].handler.handle(event);
          // Its own checkpoint is not past this event yet; pricing's is.
          await waiter(definitions).waitFor([charges], event.position, 2000).then(
            () => waits.push('resolved'),
            () => waits.push('lagging'),
          );
        },
      },
    };
    await start([definitions[0], waitingCharger]);
    await order();
    await eventually(async () => waits.length > 0, 10_000, 'the charge and its wait');
    expect(waits).toEqual(['resolved']);
  });

  it('past the bound, 503 READ_MODEL_LAGGING names the process manager that is behind', async () => {
    const definitions = [pricing(), charging()];
    // Only the read model runs: no process manager handles anything.
    await start([]);
    await processManagers.install('pricing');
    await processManagers.install('charging');
    const { position } = await order();
    const waiting = waiter(definitions).waitFor([charges], position, 300);
    await expect(waiting).rejects.toBeInstanceOf(ReadModelLaggingError);
    await expect(waiting).rejects.toMatchObject({ status: 503, code: 'READ_MODEL_LAGGING', processManagers: ['pricing'], retryAfterSeconds: 1 });
  });

  it('logs, once, a process manager that writes an event type its emits does not declare', async () => {
    const undeclared = reaction('pricing', 'Ordered', 'Priced', 0, []);
    await start([undeclared]);
    const first = await order();
    const second = await order();
    await processManagers.waitFor('pricing', [first.position, second.position].sort()[1], 10_000);
    const errors = logged.filter((entry) => entry.level === 'error');
    expect(errors).toEqual([expect.objectContaining({ details: { processManager: 'pricing', eventType: 'Priced' } })]);
  });
});
