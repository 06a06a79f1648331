import { resolve } from 'node:path';
import { ConfigError, type Env, envBoolean, envInteger, envList, envString } from './env';

/** Every setting the platform reads, with its default. The README's configuration table mirrors this. */
export interface PlatformConfig {
  port: number;
  /** HTTP processes `npm start` runs on PORT (node:cluster; 1: the api in the process you started, as before). */
  apiProcesses: number;
  /** Worker processes `npm start` runs beside the api; they share projections and process managers by lease. */
  workerProcesses: number;
  /** Address the api listens on: `127.0.0.1` unless told (the container sets `0.0.0.0`). */
  host: string;
  /**
   * Port of the worker process's own `/health` and `/metrics` listener (on `host`); 0: any free
   * port. Not used when the api and the worker share a process.
   */
  workerPort: number;
  /** Whether WORKER_PORT was given (a worker refuses to start when a given port is taken; the default it only warns about). */
  workerPortGiven: boolean;
  /** The api's /health says `degraded` for a projection with lag that nobody has held or moved for this long. */
  healthStallSeconds: number;
  /** How long SIGTERM waits for the requests in flight, and then for the worker's batches, before it cuts them. */
  shutdownTimeoutMs: number;
  /** External PostgreSQL; when unset an embedded PostgreSQL is started under `embeddedDataDir`. */
  databaseUrl: string | undefined;
  embeddedDataDir: string;
  embeddedPort: number;
  eventStore: 'postgres' | 'eventstoredb';
  /** The HTTP server under Nest (HTTP_ADAPTER): Fastify, or Express. */
  httpAdapter: 'fastify' | 'express';
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
  /** Keys a process manager handles at once within a batch (each key's events in log order). */
  processManagerConcurrency: number;
  /** Most events a process manager reads and handles as one batch, with one checkpoint write. */
  processManagerBatchSize: number;
  /** After catching up, how long a projection waits before reading again, so what arrives meanwhile is one batch. */
  projectionLiveBatchMs: number;
  /** While a projection or process manager is idle, the least time between two moves of its checkpoint past events of other types. */
  idleCheckpointMs: number;
  logLevel: string;
  /** Largest JSON body accepted, in bytes (413 beyond). */
  httpBodyLimitBytes: number;
  /** Deepest nesting of a JSON body (400 beyond). */
  httpBodyMaxDepth: number;
  /** Origins allowed to call the API from a browser; empty: CORS is off (no CORS headers at all). */
  corsOrigins: string[];
  /** Which proxies in front to believe about the client's address (X-Forwarded-For), as Express's `trust proxy`; unset: none. */
  trustProxy: boolean | number | string | undefined;
  /** Bearer token that `/metrics` on the api port asks for; unset: one is generated into `.data/metrics-token`. */
  metricsToken: string | undefined;
  /** A port of its own that serves `/metrics` without a token (for a scraper on a private network); unset: none. */
  metricsPort: number | undefined;
  /** `/health` tells everyone each component's error, not only admins. */
  healthDetails: boolean;
  /** Where generated secrets (JWT, metrics token) are kept. */
  dataDir: string;
  /** The built web app (`npm run build` writes it), served at `/`; when the folder has no index.html, no app is served. */
  webDir: string;
}

export function loadConfig(env: Env = process.env): PlatformConfig {
  const eventStore = env.EVENT_STORE ?? 'postgres';
  if (eventStore !== 'postgres' && eventStore !== 'eventstoredb') {
    throw new ConfigError(`EVENT_STORE must be "postgres" or "eventstoredb", not "${eventStore}"`);
  }
  const httpAdapter = env.HTTP_ADAPTER || 'fastify';
  if (httpAdapter !== 'fastify' && httpAdapter !== 'express') throw new ConfigError(`HTTP_ADAPTER must be "fastify" or "express", not "${httpAdapter}"`);
  if (eventStore === 'eventstoredb' && !env.EVENTSTORE_CONNECTION_STRING) {
    throw new ConfigError('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING (for example esdb://127.0.0.1:2113?tls=false)');
  }
  const config: PlatformConfig = {
    port: envInteger(env, 'PORT', 3000),
    httpAdapter,
    apiProcesses: envInteger(env, 'API_PROCESSES', 1, { min: 1 }),
    workerProcesses: envInteger(env, 'WORKER_PROCESSES', 1, { min: 1 }),
    host: envString(env, 'HOST', '127.0.0.1'),
    workerPort: envInteger(env, 'WORKER_PORT', 3001),
    workerPortGiven: envString(env, 'WORKER_PORT') !== undefined,
    healthStallSeconds: envInteger(env, 'HEALTH_STALL_SECONDS', 60, { min: 1, unit: 'seconds' }),
    shutdownTimeoutMs: envInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000),
    databaseUrl: envString(env, 'DATABASE_URL'),
    embeddedDataDir: resolve(env.EMBEDDED_PG_DIR ?? '.data/postgres'),
    embeddedPort: envInteger(env, 'EMBEDDED_PG_PORT', 54329),
    eventStore,
    eventStoreConnectionString: envString(env, 'EVENTSTORE_CONNECTION_STRING'),
    eventStorePoolSize: envInteger(env, 'EVENT_STORE_POOL_SIZE', 20),
    eventStoreAppendConcurrency: Math.max(1, envInteger(env, 'EVENT_STORE_APPEND_CONCURRENCY', 2)),
    readModelPoolSize: envInteger(env, 'READ_MODEL_POOL_SIZE', 10),
    pollIntervalMs: envInteger(env, 'EVENT_STORE_POLL_MS', 500),
    consistencyTimeoutMs: envInteger(env, 'CONSISTENCY_TIMEOUT_MS', 5000),
    projectionBatchSize: envInteger(env, 'PROJECTION_BATCH_SIZE', 2000),
    projectionMaxRetries: envInteger(env, 'PROJECTION_MAX_RETRIES', 3),
    processManagerRetryMs: envInteger(env, 'PROCESS_MANAGER_RETRY_MS', 500),
    processManagerMaxRetryMs: envInteger(env, 'PROCESS_MANAGER_MAX_RETRY_MS', 30_000),
    processManagerConcurrency: Math.max(1, envInteger(env, 'PROCESS_MANAGER_CONCURRENCY', 32)),
    processManagerBatchSize: Math.max(1, envInteger(env, 'PROCESS_MANAGER_BATCH_SIZE', 100)),
    projectionLiveBatchMs: envInteger(env, 'PROJECTION_LIVE_BATCH_MS', 5),
    idleCheckpointMs: envInteger(env, 'IDLE_CHECKPOINT_MS', 1000),
    logLevel: envString(env, 'LOG_LEVEL', 'info'),
    httpBodyLimitBytes: envInteger(env, 'HTTP_BODY_LIMIT_BYTES', 1024 * 1024),
    httpBodyMaxDepth: envInteger(env, 'HTTP_BODY_MAX_DEPTH', 32),
    corsOrigins: envList(env, 'CORS_ORIGINS'),
    trustProxy: trustProxyOf(envString(env, 'TRUST_PROXY')),
    metricsToken: envString(env, 'METRICS_TOKEN'),
    metricsPort: env.METRICS_PORT ? envInteger(env, 'METRICS_PORT', 0) : undefined,
    healthDetails: envBoolean(env, 'HEALTH_DETAILS'),
    dataDir: resolve('.data'),
    webDir: resolve(env.WEB_DIR ?? 'dist/web'),
  };
  checkWorkerPorts(config);
  return config;
}

/** The worker processes listen on WORKER_PORT, WORKER_PORT+1, …: each a real port, none another listener's. */
function checkWorkerPorts({ workerPort, workerProcesses, port, metricsPort }: PlatformConfig): void {
  if (workerPort === 0) return;
  const last = workerPort + workerProcesses - 1;
  const ports = workerProcesses === 1 ? `WORKER_PORT (${workerPort})` : `WORKER_PORT..WORKER_PORT+WORKER_PROCESSES-1 (${workerPort}..${last})`;
  if (last > 65_535) throw new ConfigError(`${ports} must stay within 65535`);
  for (const [name, taken] of [['PORT', port], ['METRICS_PORT', metricsPort]] as const) {
    if (taken !== undefined && taken !== 0 && taken >= workerPort && taken <= last) throw new ConfigError(`${ports} must not include ${name} (${taken})`);
  }
}

/** `true`, a number of hops, or a comma-separated list of addresses, subnets or `loopback`/`uniquelocal`. */
function trustProxyOf(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || value === '' || value === 'false') return undefined;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
