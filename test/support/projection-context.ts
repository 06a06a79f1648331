import type { Knex } from 'knex';
import { physicalTable, type ProjectionContext } from '@app/core';

/** What the runtime hands a projection's apply functions, for tables of one generation. */
export function projectionContext(trx: Knex.Transaction, generation: number): ProjectionContext {
  return {
    trx,
    tableName: (name) => physicalTable(name, generation),
    table: (name) => trx(physicalTable(name, generation)),
  };
}
