import type { Knex } from 'knex';
import { createKnex, type DomainEvent, pooledSql, type ProjectionDefinition, type ReadModelQueries, type Recorded } from '@app/core';
import { encodePosition } from '@app/eventstore';
import { type Generation, projectionContext, tableIn } from './projection-context';
import { createTestDatabase, type TestDatabase } from './test-database';

type Of<E extends DomainEvent, Type extends E['type']> = Extract<E, { type: Type }>;

/** Records events of E as the log would: increasing ids and positions (string order is log order), in the stream `streamOf` names unless given. */
export function recorder<E extends DomainEvent>(streamOf: (event: E) => string = () => 'stream') {
  let n = 0;
  return <Type extends E['type']>(type: Type, data: Of<E, Type>['data'], streamName?: string): Recorded<Of<E, Type>> => {
    n++;
    const event = { type, data } as Of<E, Type>;
    return <Recorded<Of<E, Type>>>{
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      type,
      data,
      metadata: {},
      streamName: streamName ?? streamOf(event),
      revision: 0n,
      position: encodePosition(BigInt(n), 0n),
      recordedAt: new Date(0),
    };
  };
}

/**
 * A projection over a fresh test database, for the describe it is called in: its beforeAll creates the tables of each
 * generation (default: only those served under their own names) and applies `batches` to the served ones; its afterAll drops the database.
 */
export function readModelUnderTest<E extends DomainEvent, Table extends string>(
  projection: ProjectionDefinition<E, Table>,
  { generations = ['served'], batches = [] }: { generations?: readonly Generation[]; batches?: readonly (readonly Recorded<E>[])[] } = {},
) {
  let database: TestDatabase | undefined;
  let knex: Knex | undefined;
  const connected = () => {
    if (!knex) throw new Error(`Read model ${projection.name} is not set up: use it inside its describe's tests`);
    return knex;
  };
  const apply = (events: readonly Recorded<E>[], generation: Generation) =>
    connected().transaction((trx) => projection.apply(events, projectionContext<Table>(trx, generation)));

  beforeAll(async () => {
    database = await createTestDatabase(projection.name);
    knex = createKnex(database.url, 2);
    for (const generation of generations) {
      for (const [table, columns] of Object.entries(projection.tables) as [Table, (t: Knex.CreateTableBuilder) => void][]) {
        await knex.schema.createTable(tableIn(table, generation), columns);
      }
    }
    for (const batch of batches) await apply(batch, 'served');
  });
  afterAll(async () => {
    await knex?.destroy();
    await database?.drop();
  });

  return {
    /** The test database's connection, for what the helpers below do not say. */
    get knex(): Knex {
      return connected();
    },
    /** Applies the events as one batch, in one transaction, to a generation's tables. */
    apply: (events: readonly Recorded<E>[], generation: Generation = 'served'): Promise<void> => apply(events, generation),
    /** Applies the events one batch each, as the runtime retries a failing batch. */
    async applyEachAlone(events: readonly Recorded<E>[], generation: Generation = 'served'): Promise<void> {
      for (const event of events) await apply([event], generation);
    },
    /** Every row of one of the projection's tables in a generation, ordered by `orderBy` if given. */
    rows(table: Table, generation: Generation = 'served', orderBy?: string): Promise<Record<string, unknown>[]> {
      const rows = connected()<Record<string, unknown>>(tableIn(table, generation));
      return orderBy ? rows.orderBy(orderBy) : rows.select();
    },
    /** The projection's queries, bound to a generation's tables (by default those served under their own names). */
    queries<Queries>(queries: ReadModelQueries<Queries>, generation: Generation = 'served'): Queries {
      if (queries.projection !== projection) throw new Error(`Queries of ${queries.projection.name} do not read ${projection.name}`);
      const db = connected();
      return queries.bind({
        knex: db,
        table: <Row extends object>(name: string) => db<Row, Row[]>(tableIn(name, generation)),
        sql: (text, values) => pooledSql(db, text, values),
        name: (table) => `"${tableIn(table, generation)}"`,
      });
    },
  };
}
