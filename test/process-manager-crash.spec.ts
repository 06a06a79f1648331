import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { createKnex, ProcessManagerStore, ProcessManagerWorker } from '@app/core';
import { PostgresEventStore } from '@app/eventstore';
import { chargingReaction } from './fixtures/charging-reaction';
import { exited, startFixture } from './support/child-process';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const CUSTOMERS = 10;
const ORDERS = 400;

/** Issue 13: a process manager killed in the middle of a batch and restarted leaves no duplicate effect, and loses none. */
describe('process manager killed mid-batch', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let knex: Knex;
  let worker: ProcessManagerWorker | undefined;

  beforeEach(async () => {
    database = await createTestDatabase('pm_crash');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 5, pollIntervalMs: 50 });
    knex = createKnex(database.url, 5);
  });
  afterEach(async () => {
    await worker?.stop();
    await store.close();
    await knex.destroy();
    await database.drop();
  });

  it('redelivers the unfinished batch to the process that takes over, which charges each order exactly once, in order per customer', async () => {
    for (let n = 0; n < ORDERS; n += 50) {
      const orders = Array.from({ length: 50 }, (_, i) => ({ id: randomUUID(), type: 'Ordered', data: { n: n + i, customer: `c${(n + i) % CUSTOMERS}` } }));
      await store.appendToStream(`orders-${n}`, orders);
    }
    const marker = join(mkdtempSync(join(tmpdir(), 'pm-crash-')), 'crashed');
    const doomed = await startFixture('process-manager-worker.fixture', [database.url, '250', marker]);
    expect(await exited(doomed)).toBeNull(); // killed by SIGKILL while handling n = 250

    const checkpoints = new ProcessManagerStore(knex);
    const log = () => store.readAll({ maxCount: 10_000 });
    const charged = async () => (await log()).filter((event) => event.type === 'Charged').length;
    const before = await charged();
    const stoppedAt = (await checkpoints.checkpoint('charging'))?.position ?? null;
    // Died in the batch holding n = 250: some of its charges were written, its checkpoint never moved past it.
    expect(before).toBeGreaterThan(200);
    expect(before).toBeLessThan(ORDERS);
    const ordered250 = (await log()).find((event) => event.type === 'Ordered' && (event.data as { n: number }).n === 250)!;
    expect(stoppedAt === null || stoppedAt < ordered250.position).toBe(true);

    worker = new ProcessManagerWorker({ connectionString: database.url, store, knex, processManagers: [chargingReaction(store)], concurrency: 8, leaseCheckMs: 50 });
    await worker.start();
    await checkpoints.waitFor('charging', (await store.headPosition())!, 20_000);

    for (let c = 0; c < CUSTOMERS; c++) {
      const charges = (await store.readStream(`charges-c${c}`)).map((event) => (event.data as { n: number }).n);
      const expected = Array.from({ length: ORDERS / CUSTOMERS }, (_, i) => i * CUSTOMERS + c);
      // Exactly once each, and a customer's charges in the order of their orders.
      expect(charges).toEqual(expected);
    }
    expect(await charged()).toBe(ORDERS);
  });
});
