import { resolve } from 'node:path';

/** Every setting the platform reads, with its default. The README's configuration table mirrors this. */
export interface PlatformConfig {
  port: number;
  /** External PostgreSQL; when unset an embedded PostgreSQL is started under `embeddedDataDir`. */
  databaseUrl: string | undefined;
  embeddedDataDir: string;
  embeddedPort: number;
  eventStore: 'postgres' | 'eventstoredb';
  eventStoreConnectionString: string | undefined;
  eventStorePoolSize: number;
  /** Append transactions in flight at once; appends beyond that are committed together. */
  eventStoreAppendConcurrency: number;
  readModelPoolSize: number;
  pollIntervalMs: number;
  consistencyTimeoutMs: number;
  projectionBatchSize: number;
  projectionMaxRetries: number;
  /** First delay before a process manager handles a failed event again; doubles up to the max. */
  processManagerRetryMs: number;
  processManagerMaxRetryMs: number;
  /** After catching up, how long a projection waits before reading again, so what arrives meanwhile is one batch. */
  projectionLiveBatchMs: number;
  logLevel: string;
  /** Largest JSON body accepted, in bytes (413 beyond). */
  httpBodyLimitBytes: number;
  /** Deepest nesting of a JSON body (400 beyond). */
  httpBodyMaxDepth: number;
  /** Origins allowed to call the API from a browser; empty: CORS is off (no CORS headers at all). */
  corsOrigins: string[];
  /** Bearer token that `/metrics` on the api port asks for; unset: one is generated into `.data/metrics-token`. */
  metricsToken: string | undefined;
  /** A port of its own that serves `/metrics` without a token (for a scraper on a private network); unset: none. */
  metricsPort: number | undefined;
  /** `/health` tells everyone each component's error, not only admins. */
  healthDetails: boolean;
  /** Where generated secrets (JWT, metrics token) are kept. */
  dataDir: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const eventStore = env.EVENT_STORE ?? 'postgres';
  if (eventStore !== 'postgres' && eventStore !== 'eventstoredb') {
    throw new ConfigError(`EVENT_STORE must be "postgres" or "eventstoredb", not "${eventStore}"`);
  }
  if (eventStore === 'eventstoredb' && !env.EVENTSTORE_CONNECTION_STRING) {
    throw new ConfigError('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING (for example esdb://127.0.0.1:2113?tls=false)');
  }
  return {
    port: integer(env, 'PORT', 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedDataDir: resolve(env.EMBEDDED_PG_DIR ?? '.data/postgres'),
    embeddedPort: integer(env, 'EMBEDDED_PG_PORT', 54329),
    eventStore,
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    eventStorePoolSize: integer(env, 'EVENT_STORE_POOL_SIZE', 20),
    eventStoreAppendConcurrency: Math.max(1, integer(env, 'EVENT_STORE_APPEND_CONCURRENCY', 2)),
    readModelPoolSize: integer(env, 'READ_MODEL_POOL_SIZE', 10),
    pollIntervalMs: integer(env, 'EVENT_STORE_POLL_MS', 500),
    consistencyTimeoutMs: integer(env, 'CONSISTENCY_TIMEOUT_MS', 5000),
    projectionBatchSize: integer(env, 'PROJECTION_BATCH_SIZE', 2000),
    projectionMaxRetries: integer(env, 'PROJECTION_MAX_RETRIES', 3),
    processManagerRetryMs: integer(env, 'PROCESS_MANAGER_RETRY_MS', 500),
    processManagerMaxRetryMs: integer(env, 'PROCESS_MANAGER_MAX_RETRY_MS', 30_000),
    projectionLiveBatchMs: integer(env, 'PROJECTION_LIVE_BATCH_MS', 5),
    logLevel: env.LOG_LEVEL ?? 'info',
    httpBodyLimitBytes: integer(env, 'HTTP_BODY_LIMIT_BYTES', 1024 * 1024),
    httpBodyMaxDepth: integer(env, 'HTTP_BODY_MAX_DEPTH', 32),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
    metricsToken: env.METRICS_TOKEN || undefined,
    metricsPort: env.METRICS_PORT ? integer(env, 'METRICS_PORT', 0) : undefined,
    healthDetails: boolean(env, 'HEALTH_DETAILS'),
    dataDir: resolve('.data'),
  };
}

function boolean(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be "true" or "false", not "${raw}"`);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a whole number, not "${raw}"`);
  return value;
}
