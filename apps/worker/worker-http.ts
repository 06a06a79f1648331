import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  KNEX,
  type PlatformConfig,
  PlatformMetrics,
  processManagerStatusReaderFrom,
  ProjectionStatusReader,
  readOrCreateSecret,
  UNAUTHENTICATED,
} from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { ProcessManagerWorkerService } from './process-manager-worker.service';
import { ProjectionWorkerService } from './projection-worker.service';

type Status = 'ok' | 'down';

interface Component {
  status: Status;
  /** What is wrong (with HEALTH_DETAILS=true or the metrics token): it names hosts. */
  error?: string;
}

/** What the worker's `/health` answers. */
export interface WorkerHealth {
  status: Status;
  details: {
    database: Component;
    eventStore: Component;
    /** The projections and process managers this process holds the lease of (names with HEALTH_DETAILS=true or the metrics token). */
    leases: { projections: number; processManagers: number; names?: { projections: string[]; processManagers: string[] } };
  };
}

/** The worker's own listener, once it listens. */
export interface WorkerListener {
  url: string;
  /** Takes no more connections, closes the idle ones and waits (at most `timeoutMs`) for the requests in flight. */
  close(timeoutMs: number): Promise<void>;
}

const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The worker process's `/health` and `/metrics` on `WORKER_PORT` (on `HOST`), when it runs apart
 * from the api (`start:worker`, and the worker process `npm start` forks). `/metrics` is this
 * process's registry (the events its projections applied, the commands its process managers and
 * workflows ran, its appends, its event loop) with the projections' and process managers' lag read
 * from the database at scrape time, behind the same bearer token as the api's `/metrics`
 * (METRICS_TOKEN, or the one generated into `.data/metrics-token`). `/health` needs no token: 200
 * `ok` while the database and the event store answer, else 503 `down`.
 *
 * When the port is taken: a worker given WORKER_PORT refuses to start (throws); one at the default
 * port, or one `npm start` forked (its metrics are in the api's `/metrics` already), logs a warning
 * and runs without the listener (answers null).
 */
export async function listenWorker(app: INestApplicationContext, config: PlatformConfig, logger: Logger): Promise<WorkerListener | null> {
  const knex = app.get<Knex>(KNEX);
  const store = app.get<EventStore>(EVENT_STORE);
  const metrics = app.get(PlatformMetrics);
  const projections = app.get(ProjectionStatusReader);
  const processManagers = processManagerStatusReaderFrom(app);
  const projectionWorker = lookUp(app, ProjectionWorkerService);
  const processManagerWorker = lookUp(app, ProcessManagerWorkerService);
  const token = Buffer.from(config.metricsToken ?? readOrCreateSecret(join(config.dataDir, 'metrics-token')));
  const authorized = (request: IncomingMessage) => {
    const given = Buffer.from(/^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '');
    return given.length === token.length && timingSafeEqual(given, token);
  };

  const probe = async (check: () => Promise<unknown>): Promise<Component> => {
    try {
      await check();
      return { status: 'ok' };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  };

  async function health(request: IncomingMessage): Promise<{ code: number; body: WorkerHealth }> {
    const [database, eventStore] = await Promise.all([probe(() => knex.raw('select 1')), probe(() => store.ping())]);
    const status: Status = database.status === 'ok' && eventStore.status === 'ok' ? 'ok' : 'down';
    const names = { projections: projectionWorker?.owned ?? [], processManagers: processManagerWorker?.owned ?? [] };
    const details = config.healthDetails || authorized(request);
    const strip = (component: Component): Component => (details ? component : { status: component.status });
    return {
      code: status === 'ok' ? 200 : 503,
      body: {
        status,
        details: {
          database: strip(database),
          eventStore: strip(eventStore),
          leases: { projections: names.projections.length, processManagers: names.processManagers.length, ...(details ? { names } : {}) },
        },
      },
    };
  }

  async function metricsText(): Promise<string> {
    metrics.recordProjections(await projections.report());
    metrics.recordProcessManagers(await processManagers.report());
    return metrics.registry.metrics();
  }

  const json = (response: ServerResponse, code: number, body: unknown) =>
    response.writeHead(code, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  const error = (response: ServerResponse, code: number, errorCode: string, message: string) =>
    json(response, code, { error: { code: errorCode, message, details: {} } });

  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return error(response, 404, 'NOT_FOUND', 'The worker answers GET /health and GET /metrics');
    if (path === '/health') {
      health(request).then(
        ({ code, body }) => json(response, code, body),
        (failure: Error) => error(response, 503, 'SERVICE_UNAVAILABLE', failure.message),
      );
      return;
    }
    if (path === '/metrics') {
      if (!authorized(request)) {
        return error(response, UNAUTHENTICATED.status, UNAUTHENTICATED.code, 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>');
      }
      metricsText().then(
        (text) => response.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE }).end(text),
        (failure: Error) => {
          logger.warn({ error: failure.message }, 'worker metrics scrape failed');
          error(response, 503, 'SERVICE_UNAVAILABLE', 'The metrics cannot be read now');
        },
      );
      return;
    }
    error(response, 404, 'NOT_FOUND', 'The worker answers GET /health and GET /metrics');
  });
  // A scraper's keep-alive connection must not hold the process open at shutdown.
  server.keepAliveTimeout = 5_000;

  const listening = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve).listen(config.workerPort, config.host, () => resolve(null));
  });
  if (listening) {
    const inUse = (listening as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const forked = Boolean(process.send);
    if (!inUse || (config.workerPortGiven && !forked)) {
      throw new Error(`The worker cannot listen on ${config.host}:${config.workerPort} (WORKER_PORT): ${listening.message}`);
    }
    logger.warn(
      { port: config.workerPort, host: config.host },
      `WORKER_PORT ${config.workerPort} is in use (another worker on this machine?): this worker runs without its /health and /metrics; give each worker its own WORKER_PORT (0: any free port)`,
    );
    return null;
  }
  const url = urlOf(server.address() as AddressInfo);
  logger.info({ url }, `worker listening on ${url}`);
  return {
    url,
    async close(timeoutMs: number) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      server.closeAllConnections();
    },
  };
}

function lookUp<T>(app: INestApplicationContext, type: abstract new (...args: never[]) => T): T | null {
  try {
    return app.get(type as never, { strict: false }) as T;
  } catch {
    return null;
  }
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
