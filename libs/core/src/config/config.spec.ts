import { ConfigError } from './env';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('runs with no environment at all: port 3000, Fastify, embedded PostgreSQL, PostgreSQL event store', () => {
    expect(loadConfig({})).toMatchObject({ port: 3000, httpAdapter: 'fastify', databaseUrl: undefined, embeddedPort: 54329, eventStore: 'postgres', consistencyTimeoutMs: 5000, projectionLiveBatchMs: 5 });
    expect(loadConfig({ HTTP_ADAPTER: 'express' }).httpAdapter).toBe('express');
  });

  it('retries a process manager’s failed event after 500 ms, doubling up to 30 s, unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ processManagerRetryMs: 500, processManagerMaxRetryMs: 30_000 });
    expect(loadConfig({ PROCESS_MANAGER_RETRY_MS: '20', PROCESS_MANAGER_MAX_RETRY_MS: '200' })).toMatchObject({ processManagerRetryMs: 20, processManagerMaxRetryMs: 200 });
  });

  it('lets a process manager handle 32 keys of a batch at once unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ processManagerConcurrency: 32 });
    expect(loadConfig({ PROCESS_MANAGER_CONCURRENCY: '8' })).toMatchObject({ processManagerConcurrency: 8 });
  });

  it('listens on 127.0.0.1, the worker on 3001, shuts down within 10 s and calls a projection stalled after 60 s, unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ host: '127.0.0.1', workerPort: 3001, shutdownTimeoutMs: 10_000, healthStallSeconds: 60 });
    expect(loadConfig({ HOST: '0.0.0.0', WORKER_PORT: '0', SHUTDOWN_TIMEOUT_MS: '1500', HEALTH_STALL_SECONDS: '5' })).toMatchObject({ host: '0.0.0.0', workerPort: 0, shutdownTimeoutMs: 1500, healthStallSeconds: 5 });
  });

  it('runs one api process and one worker process unless told otherwise, and at least one of each', () => {
    expect(loadConfig({})).toMatchObject({ apiProcesses: 1, workerProcesses: 1 });
    expect(loadConfig({ API_PROCESSES: '2', WORKER_PROCESSES: '3' })).toMatchObject({ apiProcesses: 2, workerProcesses: 3 });
    expect(() => loadConfig({ API_PROCESSES: '0' })).toThrow('API_PROCESSES must be a positive whole number, not "0"');
  });

  it('takes worker ports that collide with nothing, and any with WORKER_PORT=0', () => {
    expect(loadConfig({ WORKER_PORT: '3001', WORKER_PROCESSES: '3', PORT: '3004', METRICS_PORT: '3000' })).toMatchObject({ workerPort: 3001, workerProcesses: 3 });
    expect(loadConfig({ WORKER_PORT: '0', WORKER_PROCESSES: '3', PORT: '0' })).toMatchObject({ workerPort: 0 });
  });

  it('reads what is set', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://db/app', EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://es:2113?tls=false' });
    expect(config).toMatchObject({ port: 8080, databaseUrl: 'postgres://db/app', eventStore: 'eventstoredb', eventStoreConnectionString: 'esdb://es:2113?tls=false' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number, not "eighty"'],
    [{ CONSISTENCY_TIMEOUT_MS: '-1' }, 'CONSISTENCY_TIMEOUT_MS must be a whole number, not "-1"'],
    [{ EVENT_STORE: 'mongo' }, 'EVENT_STORE must be "postgres" or "eventstoredb", not "mongo"'],
    [{ HTTP_ADAPTER: 'koa' }, 'HTTP_ADAPTER must be "fastify" or "express", not "koa"'],
    [{ EVENT_STORE: 'eventstoredb' }, 'EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING'],
    [{ WORKER_PORT: '65535', WORKER_PROCESSES: '2' }, 'WORKER_PORT..WORKER_PORT+WORKER_PROCESSES-1 (65535..65536) must stay within 65535'],
    [{ WORKER_PORT: '3001', WORKER_PROCESSES: '3', PORT: '3002' }, 'WORKER_PORT..WORKER_PORT+WORKER_PROCESSES-1 (3001..3003) must not include PORT (3002)'],
    [{ WORKER_PORT: '9100', METRICS_PORT: '9100' }, 'WORKER_PORT (9100) must not include METRICS_PORT (9100)'],
  ])('refuses %j with one clear sentence', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
