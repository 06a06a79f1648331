import knexFactory, { type Knex } from 'knex';
import type { Logger } from 'pino';
import { createLogger, knexLog } from '../observability/logger';
import { migrations } from '@app/migrations';

/** Knex reads our migrations from a list rather than a folder, so they run the same from TS and JS. */
class ListedMigrations implements Knex.MigrationSource<(typeof migrations)[number]> {
  getMigrations() {
    return Promise.resolve(migrations);
  }
  getMigrationName(migration: (typeof migrations)[number]) {
    return migration.name;
  }
  getMigration(migration: (typeof migrations)[number]) {
    return Promise.resolve(migration);
  }
}

export const migrationConfig: Knex.MigratorConfig = { migrationSource: new ListedMigrations(), tableName: 'knex_migrations' };

export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

let processLogger: Logger | undefined;

/**
 * A knex on the platform's PostgreSQL. Its warnings (a connection that broke, one that could not be
 * made) are JSON lines of `logger`, by default a pino logger of this process, never plain text.
 */
export function createKnex(connectionString: string, poolSize = 10, logger: Logger = (processLogger ??= createLogger())): Knex {
  return knexFactory({
    client: 'pg',
    connection: connectionString,
    pool: { min: 0, max: poolSize },
    log: knexLog(logger),
  });
}
