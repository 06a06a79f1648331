import type { Knex } from 'knex';
import { physicalTable, type ProjectionContext } from '@app/core';

/** A generation of a projection's tables, or `'served'`: the tables under their own names, as the runtime serves the current generation. */
export type Generation = number | 'served';

/** The physical name of a projection's table in a generation. */
export function tableIn(name: string, generation: Generation): string {
  return generation === 'served' ? name : physicalTable(name, generation);
}

/** What the runtime hands a projection's apply functions, for tables of one generation. */
export function projectionContext<Table extends string = string>(trx: Knex.Transaction, generation: Generation): ProjectionContext<Table> {
  return {
    trx,
    tableName: (name) => tableIn(name, generation),
    table: (name) => trx(tableIn(name, generation)),
  };
}
