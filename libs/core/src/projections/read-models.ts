import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import { currentContext } from '../context/request-context';
import type { DomainEvent } from '../domain/decider';
import { KNEX } from '../nest/tokens';
import type { ProjectionDefinition } from './projection';

/** What a read model's queries read through: its own tables, as served (the current generation). */
export interface ReadModelTables<Table extends string> {
  table<Row extends object = Record<string, unknown>>(name: Table): Knex.QueryBuilder<Row, Row[]>;
  /** For what a query builder does not say (raw SQL over these tables, a transaction). */
  knex: Knex;
}

/** A read model's queries: bound to its projection, so whoever calls them says which read model it reads. */
export interface ReadModelQueries<Queries> {
  readonly projection: ProjectionDefinition;
  readonly bind: (tables: ReadModelTables<string>) => Queries;
}

/**
 * The queries of one read model, in its `<name>.queries.ts`: the only code that names its tables
 * (`table` takes only the projection's own table names), with typed rows out. Everything else
 * reads the read model through these, via `ReadModels.use`.
 */
export function defineQueries<Table extends string, Queries>(
  projection: ProjectionDefinition<DomainEvent, Table>,
  bind: (tables: ReadModelTables<Table>) => Queries,
): ReadModelQueries<Queries> {
  return { projection, bind: bind as (tables: ReadModelTables<string>) => Queries };
}

/**
 * Hands out read models' queries. Within an endpoint marked `@ReadsFrom(...)`, only the read models
 * it declares can be used: reading another would answer without waiting for `?after=` on it, so
 * it is refused (a plain Error, a bug to fix in the declaration). Call `use` where the query runs,
 * not in a constructor.
 */
@Injectable()
export class ReadModels {
  private readonly bound = new Map<ReadModelQueries<unknown>, unknown>();

  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  use<Queries>(queries: ReadModelQueries<Queries>): Queries {
    const declared = currentContext()?.readsFrom;
    const name = queries.projection.name;
    if (declared && !declared.includes(name)) {
      throw new Error(`Read model ${name} is read by an endpoint whose @ReadsFrom declares only ${declared.join(', ') || 'none'}`);
    }
    let bound = this.bound.get(queries) as Queries | undefined;
    if (bound === undefined) {
      const knex = this.knex;
      bound = queries.bind({ knex, table: (table) => knex(table) as never });
      this.bound.set(queries, bound);
    }
    return bound;
  }
}
