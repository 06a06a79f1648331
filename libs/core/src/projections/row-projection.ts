import type { RecordedEvent } from '@app/eventstore';
import type { Knex } from 'knex';
import { type ApplyFunction, defineProjection, type ProjectionContext, type ProjectionDefinition } from './projection';

/** The row after an event, given the row before it (undefined: there is none). null: no row. */
export type RowEvolve<Row> = (row: Row | undefined, event: RecordedEvent<string, any>) => Row | null;

export interface RowProjectionOptions<Row extends object> {
  name: string;
  version: number;
  /** The one table, and its columns. */
  table: string;
  columns: (table: Knex.CreateTableBuilder) => void;
  /** The table's primary key column. */
  key: keyof Row & string;
  /** Which row an event is about: its key, as the database returns it. */
  keyOf: (event: RecordedEvent<string, any>) => string;
  /** One function per event type handled; only those types are read. */
  evolve: Record<string, RowEvolve<Row>>;
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
export function defineRowProjection<Row extends object>(options: RowProjectionOptions<Row>): ProjectionDefinition {
  const applyBatch = async (events: readonly RecordedEvent[], context: ProjectionContext): Promise<void> => {
    const table = context.tableName(options.table);
    const keys = [...new Set(events.map(options.keyOf))];
    const rows = new Map<string, Row>();
    for (const row of (await context.trx(table).whereIn(options.key, keys)) as Row[]) rows.set(String(row[options.key]), row);
    const existed = new Set(rows.keys());
    for (const event of events) {
      const key = options.keyOf(event);
      const next = options.evolve[event.type](rows.get(key), event);
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
  const single: ApplyFunction = (event, context) => applyBatch([event], context);
  return defineProjection({
    name: options.name,
    version: options.version,
    tables: { [options.table]: options.columns },
    handlers: Object.fromEntries(Object.keys(options.evolve).map((type) => [type, single])),
    applyBatch,
  });
}
