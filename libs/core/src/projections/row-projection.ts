import type { Knex } from 'knex';
import type { DomainEvent } from '../domain/decider';
import { defineProjection, type ProjectionContext, type ProjectionDefinition, type Recorded } from './projection';

/** One evolve per event type of E: the row after the event, given the row before it (undefined: none). null: no row. */
export type RowEvolvers<Row, E extends DomainEvent> = {
  [Type in E['type']]: (row: Row | undefined, event: Recorded<Extract<E, { type: Type }>>) => Row | null;
};

export interface RowProjectionOptions<Row extends object, E extends DomainEvent, Table extends string> {
  name: string;
  version: number;
  /** The one table, and its columns. */
  table: Table;
  columns: (table: Knex.CreateTableBuilder) => void;
  /** The table's primary key column. */
  key: keyof Row & string;
  /** Which row an event is about: its key, as the database returns it. */
  keyOf: (event: Recorded<E>) => string;
  /** One function per event type of E, each typed by its event; only those types are read. */
  evolve: RowEvolvers<Row, E>;
}

/** Rows per insert: PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * A read model of one table whose rows each follow one key (a task, a user), written as an
 * `evolve` from (row, event) to row. The runtime applies a whole batch in a constant number of
 * round trips, whatever its size: it loads the rows the batch touches in one query, folds the
 * events into them in log order in memory, and writes the changed rows back with one multi-row
 * upsert (and one delete). Within the batch's transaction, like any projection, so the effect is
 * the same as applying the events one by one.
 */
export function defineRowProjection<Row extends object, E extends DomainEvent, Table extends string = string>(
  options: RowProjectionOptions<Row, E, Table>,
): ProjectionDefinition<E, Table> {
  const evolveOne = (row: Row | undefined, event: Recorded<E>): Row | null =>
    (options.evolve[event.type as E['type']] as (row: Row | undefined, event: Recorded<E>) => Row | null)(row, event);
  const apply = async (events: readonly Recorded<E>[], context: ProjectionContext<Table>): Promise<void> => {
    const table = context.tableName(options.table);
    const keys = [...new Set(events.map(options.keyOf))];
    const rows = new Map<string, Row>();
    for (const row of (await context.trx(table).whereIn(options.key, keys)) as Row[]) rows.set(String(row[options.key]), row);
    const existed = new Set(rows.keys());
    for (const event of events) {
      const key = options.keyOf(event);
      const next = evolveOne(rows.get(key), event);
      if (next === null) rows.delete(key);
      else rows.set(key, next);
    }
    const gone = keys.filter((key) => existed.has(key) && !rows.has(key));
    if (gone.length > 0) await context.trx(table).whereIn(options.key, gone).delete();
    const changed = keys.filter((key) => rows.has(key)).map((key) => rows.get(key)!);
    if (changed.length === 0) return;
    const perInsert = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(changed[0]).length));
    for (let from = 0; from < changed.length; from += perInsert) {
      await context.trx(table).insert(changed.slice(from, from + perInsert)).onConflict(options.key).merge();
    }
  };
  return defineProjection<E, Table>({
    name: options.name,
    version: options.version,
    tables: { [options.table]: options.columns } as Record<Table, (table: Knex.CreateTableBuilder) => void>,
    eventTypes: Object.keys(options.evolve) as E['type'][],
    apply,
  });
}
