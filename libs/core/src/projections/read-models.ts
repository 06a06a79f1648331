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
  /**
   * One statement as written (`$1`, `$2`... for `values`), sent on one of knex's pooled connections
   * without building, compiling or running it through knex: for the hottest reads, where knex's
   * work per query is a tenth of the request's CPU (bench/http-findings.md). Rows come as pg gives them.
   */
  sql<Row extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** A table's name as these queries read it (its served generation), quoted, for `sql`'s text. */
  name(table: Table): string;
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
      bound = queries.bind({ knex, table: (table) => knex(table) as never, sql: (text, values) => pooledSql(knex, text, values), name: (table) => `"${table}"` });
      this.bound.set(queries, bound);
    }
    return bound;
  }
}

interface PooledConnection {
  query(config: { text: string; values: readonly unknown[] }): Promise<{ rows: never[] }>;
}

/** `ReadModelTables.sql` on `knex`'s connections. */
export async function pooledSql<Row>(knex: Knex, text: string, values: readonly unknown[] = []): Promise<Row[]> {
  // knex's own pool: the same connections, limits and acquire timeout (KnexTimeoutError) as its queries.
  const connection = (await knex.client.acquireConnection()) as PooledConnection;
  try {
    return (await connection.query({ text, values })).rows;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
