import type { Knex } from 'knex';
import { createKnex, defineRowProjection, type DomainEvent, physicalTable, type Recorded } from '@app/core';
import { projectionContext } from './support/projection-context';
import { createTestDatabase, type TestDatabase } from './support/test-database';

interface CounterRow {
  id: string;
  count: number;
  label: string;
}

type CounterEvent =
  | DomainEvent<'Opened', { id: string; label: string }>
  | DomainEvent<'Bumped', { id: string }>
  | DomainEvent<'Closed', { id: string }>;

const counters = defineRowProjection<CounterRow, CounterEvent>({
  name: 'counters',
  version: 1,
  table: 'counters',
  columns: (t) => {
    t.text('id').primary();
    t.integer('count').notNullable();
    t.text('label').notNullable();
  },
  key: 'id',
  keyOf: (event) => event.data.id,
  evolve: {
    Opened: (row, event) => {
      if (row) throw new Error(`${row.id} is already open`);
      return { id: event.data.id, count: 0, label: event.data.label };
    },
    Bumped: (row) => (row ? { ...row, count: row.count + 1 } : null),
    Closed: () => null,
  },
});

let n = 0;
function event<E extends CounterEvent>(type: E['type'], data: E['data']): Recorded<CounterEvent> {
  n++;
  return <Recorded<CounterEvent>>{ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type, data, metadata: {}, streamName: `c-${data.id}`, revision: 0n, position: String(n).padStart(20, '0'), recordedAt: new Date(0) };
}

describe('defineRowProjection', () => {
  let database: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    database = await createTestDatabase('row_projection');
    knex = createKnex(database.url, 2);
    for (const generation of [1, 2]) await knex.schema.createTable(physicalTable('counters', generation), counters.tables.counters);
  });

  afterAll(async () => {
    await knex.destroy();
    await database.drop();
  });

  const rows = (generation: number) => knex(physicalTable('counters', generation)).orderBy('id');

  it('applies a batch with the same effect as its events one by one, across batches', async () => {
    const first = [event('Opened', { id: 'a', label: 'A' }), event('Bumped', { id: 'a' }), event('Opened', { id: 'b', label: 'B' }), event('Opened', { id: 'c', label: 'C' })];
    const second = [event('Bumped', { id: 'b' }), event('Bumped', { id: 'a' }), event('Closed', { id: 'c' }), event('Bumped', { id: 'zz' }), event('Opened', { id: 'd', label: 'D' }), event('Closed', { id: 'd' })];
    for (const batch of [first, second]) {
      await knex.transaction((trx) => counters.apply(batch, projectionContext(trx, 1)));
      for (const one of batch) await knex.transaction((trx) => counters.apply([one], projectionContext(trx, 2)));
    }
    expect(await rows(1)).toEqual([
      { id: 'a', count: 2, label: 'A' },
      { id: 'b', count: 1, label: 'B' },
    ]);
    expect(await rows(2)).toEqual(await rows(1));
  });

  it('fails the whole batch when an event cannot be applied, so the runtime retries and halts as usual', async () => {
    await expect(
      knex.transaction((trx) => counters.apply([event('Bumped', { id: 'a' }), event('Opened', { id: 'a', label: 'again' })], projectionContext(trx, 1))),
    ).rejects.toThrow('a is already open');
    expect((await rows(1)).find((row) => row.id === 'a')).toEqual({ id: 'a', count: 2, label: 'A' });
  });

  it('reads only the event types it evolves', () => {
    expect([...counters.eventTypes].sort()).toEqual(['Bumped', 'Closed', 'Opened']);
  });
});
