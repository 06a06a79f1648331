import type { Logger } from 'pino';
import type { PlatformConfig } from '../config/config';
import { type RunningDatabase, useEmbeddedPostgres } from '../database/embedded-postgres';
import { createKnex, migrateToLatest } from '../database/migrations';

/**
 * The database the platform runs on: `DATABASE_URL` when set, otherwise an embedded PostgreSQL
 * under `.data/`. Either way it is migrated to the latest schema before anything else starts.
 */
export async function prepareDatabase(config: PlatformConfig, logger: Logger): Promise<RunningDatabase & { migrationsApplied: string[] }> {
  let database: RunningDatabase;
  if (config.databaseUrl) {
    database = { url: config.databaseUrl, stop: async () => undefined };
  } else {
    logger.info({ dataDir: config.embeddedDataDir, port: config.embeddedPort }, 'using embedded PostgreSQL');
    database = await useEmbeddedPostgres({ dataDir: config.embeddedDataDir, port: config.embeddedPort, database: 'platform' });
  }
  const knex = createKnex(database.url, 1);
  try {
    const applied = await migrateToLatest(knex);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
    return { ...database, migrationsApplied: applied };
  } catch (error) {
    await database.stop().catch(() => undefined);
    throw error;
  } finally {
    await knex.destroy();
  }
}

/** Ends the process with one clear line (no stack trace) when start-up cannot go on. */
export function failStartup(logger: Logger, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  logger.fatal({ error: message }, 'start-up failed');
  process.stderr.write(`Start-up failed: ${message}\n`);
  process.exit(1);
}
