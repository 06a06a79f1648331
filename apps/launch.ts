import 'reflect-metadata';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { type ChildProcess, fork } from 'node:child_process';
import cluster from 'node:cluster';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import {
  configureHttpApp,
  createHttpAdapter,
  createLogger,
  failStartup,
  HTTP_APP_OPTIONS,
  loadConfig,
  loadContextConfigs,
  PEER_METRICS,
  type PeerMetrics,
  PinoNestLogger,
  type PlatformConfig,
  PlatformMetrics,
  PlatformModule,
  prepareDatabase,
  type RunningDatabase,
  ownStopSignals,
} from '@app/core';
import type { Provider } from '@nestjs/common';
import { ApiModule } from './api/api.module';
import { contexts } from './contexts';
import { listenWorker, type WorkerListener } from './worker/worker-http';
import { WorkerModule } from './worker/worker.module';

class AppModule {}

type Logger = ReturnType<typeof createLogger>;

/** Where the worker runs: not here, here, or in a process of its own that this one starts and stops (`npm start`). */
export type WorkerPlacement = false | 'here' | 'child';

/** The first wait before a worker or api process that died is started again; doubles up to a minute. */
const RESTART_MS = 1000;

/** What a worker or api process gets beyond its own stop's longest run before it is killed: its own cut-off, its exit. */
const CHILD_GRACE_MS = 5_000;

/** The embedded PostgreSQL's longest stop (its fast shutdown's time limit). */
const DATABASE_STOP_MS = 15_000;

/** How long a scrape waits for another process's metrics before it answers without them. */
const PEER_METRICS_MS = 1000;

/**
 * The gauges a scrape reads from the database (lag, halts, failed attempts): the scraped process's
 * reading is the one that counts; another process's would be an older reading, and gauges add up.
 */
const SCRAPE_TIME_GAUGE = /^(projection|process_manager)_/;

/**
 * Set in the environment of the api processes this one forks. Not `cluster.isWorker`: under a cluster
 * supervisor of someone else's (pm2 -i), API_PROCESSES=1 is one api process as it always was.
 */
const API_CHILD_ENV = 'POPUG_API_CHILD';
const isApiChild = process.env[API_CHILD_ENV] === '1';

/** The signals that stop the app. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Starts the HTTP app, the worker, or both (`npm start`: the worker in a process of its own, so
 * the reactions and projections have a core of their own and keep up under HTTP load instead of
 * sharing one event loop with it), and owns the process's signals from the first moment: a
 * SIGTERM or SIGINT (`early`: those that came while the modules loaded) stops it as `Shutdown`
 * says, whether start-up has finished or not.
 *
 * With API_PROCESSES above 1 this process serves no request itself: it prepares the database, forks
 * that many api processes on PORT (node:cluster hands each new connection to the next one), starts
 * the worker processes, restarts any of them that dies, and stops them all at a signal. Kept out of
 * the requests, it is the one process whose crash would take the others down, and it has nothing
 * to crash on; with 1, the api runs here, as it always has.
 */
export async function launch(parts: { http: boolean; worker: WorkerPlacement }, early: readonly string[] = []): Promise<void> {
  const logger = createLogger();
  const shutdown = new Shutdown(logger);
  ownStopSignals();
  for (const signal of STOP_SIGNALS) {
    // Added before the others go: a signal without listeners for a moment is lost, even one already on its way.
    const stop = () => shutdown.request(signal);
    process.on(signal, stop);
    for (const listener of process.listeners(signal)) if (listener !== stop) process.removeListener(signal, listener);
  }
  // A crash is one JSON line with its stack too (the embedded database still gets its stop signal, on exit).
  process.on('uncaughtException', (error, origin) => {
    logger.fatal({ err: error, origin }, 'uncaught exception; exiting');
    process.exit(1);
  });
  // A worker or api process started by `npm start` stops when the process that started it goes, however it goes:
  // its requests drain and it stops, as at a SIGTERM. node:cluster's own 'disconnect' listener, added first, exits
  // the api process at once unless it counts as disconnected on purpose, which it now does (checked on node 20).
  if (isApiChild && cluster.worker) cluster.worker.exitedAfterDisconnect = true;
  if (process.send) process.once('disconnect', () => shutdown.request('disconnect'));
  if (early.length > 0) shutdown.request(early[0]);

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
  shutdown.timeoutMs = config.shutdownTimeoutMs;
  if (shutdown.requested) return shutdown.run();
  const supervising = parts.http && parts.worker !== 'here' && config.apiProcesses > 1 && !isApiChild && cluster.isPrimary;

  const database = await prepareDatabase(config, logger).catch((error) => failStartup(logger, error));
  shutdown.database = database;
  // This process runs the embedded PostgreSQL: a closed terminal (SIGHUP) must not leave it running.
  if (database.owned) process.on('SIGHUP', () => shutdown.request('SIGHUP'));
  if (shutdown.requested) return shutdown.run();

  const workers = parts.worker === 'child' ? workerProcesses(config, database.url, logger) : [];
  shutdown.workers = workers;
  if (supervising) {
    const apis = apiProcesses(config, database.url, logger, shutdown);
    shutdown.apis = apis;
    // An api process's /metrics asks here for everyone else's: the other api processes' and the workers'.
    const relay = (asker: ChildProcess, message: { type?: string; id?: number }) => {
      if (message?.type !== 'peer-metrics?') return;
      const others = [...apis, ...workers].filter((peer) => peer.pid !== asker.pid);
      void Promise.all(others.map((peer) => peer.metrics())).then((metrics) => {
        // With a callback, a channel that closed meanwhile is an error for it, not an 'error' event that would end this process.
        if (asker.connected) asker.send({ type: 'peer-metrics', id: message.id, metrics: metrics.filter((m) => m.length > 0) }, () => undefined);
      });
    };
    for (const api of apis) api.onMessage = relay;
    for (const child of [...workers, ...apis]) child.start();
    logger.info({ apiProcesses: apis.length, workerProcesses: workers.length, port: config.port }, 'api and worker processes started');
    return shutdown.started();
  }
  // /metrics adds the other processes' metrics to this one's: the worker processes', or (an api process of several) the primary gathers them.
  const peers: PeerMetrics = isApiChild
    ? () => ask<object[][]>(process as Messenger, 'peer-metrics', 2 * PEER_METRICS_MS, [])
    : async () => (await Promise.all(workers.map((worker) => worker.metrics()))).filter((m) => m.length > 0);
  const root: DynamicModule = {
    module: AppModule,
    global: true,
    providers: [{ provide: PEER_METRICS, useValue: peers }],
    exports: [PEER_METRICS],
    imports: [
      PlatformModule.forRoot({ config, databaseUrl: database.url, logger, contexts, contextConfigs }),
      ...(parts.http ? [ApiModule] : []),
      ...(parts.worker === 'here' ? [WorkerModule] : []),
    ],
  };
  const options = { logger: new PinoNestLogger(logger), abortOnError: false };
  for (const worker of workers) worker.start();
  try {
    if (parts.http) {
      const adapter = createHttpAdapter(config);
      const http = adapter
        ? await NestFactory.create(root, adapter, { ...options, ...HTTP_APP_OPTIONS })
        : await NestFactory.create(root, { ...options, ...HTTP_APP_OPTIONS });
      shutdown.app = http;
      configureHttpApp(http);
      shutdown.http = new HttpDrain(http.getHttpServer() as Server);
      await http.listen(config.port, config.host);
      const url = urlOf(http.getHttpServer().address() as AddressInfo);
      logger.info({ url, docs: `${url}/docs` }, `listening on ${url}`);
    } else {
      const app = await NestFactory.createApplicationContext(root, options);
      shutdown.app = app;
      await app.init();
      // Its own /health and /metrics (WORKER_PORT): a worker apart from the api reports on itself.
      shutdown.listener = await listenWorker(app, config, logger);
      logger.info('worker running');
    }
    // Started by `npm start`: another process's /metrics asks for this one's.
    if (process.send) answerMetrics(shutdown.app.get(PlatformMetrics));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.stop(config.shutdownTimeoutMs)));
    await database.stop().catch(() => undefined);
    failStartup(logger, error);
  }
  shutdown.started();
}

/** Answers `metrics?` from the process that started this one with this process's metrics, less the scrape-time gauges. */
function answerMetrics(metrics: PlatformMetrics): void {
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type !== 'metrics?') return;
    void metrics.registry.getMetricsAsJSON().then((json) => {
      // prom-client types `type` as a numeric enum; the JSON carries the name ('gauge').
      const own = json.filter((metric) => !(String(metric.type) === 'gauge' && SCRAPE_TIME_GAUGE.test(metric.name)));
      process.send?.({ type: 'metrics', id: message.id, metrics: own }, () => undefined);
    });
  });
}

/** The worker processes of `npm start`: WORKER_PROCESSES of them; the second and later on WORKER_PORT+1, +2, … (with 0, any free port each). */
function workerProcesses(config: PlatformConfig, databaseUrl: string, logger: Logger): SupervisedProcess[] {
  return Array.from({ length: config.workerProcesses }, (_, index) => {
    const port = index === 0 ? {} : { WORKER_PORT: String(config.workerPort === 0 ? 0 : config.workerPort + index) };
    // Each is one worker on its own port: the range this process checked is not its to check again from its own port on.
    const env = { ...process.env, DATABASE_URL: databaseUrl, WORKER_PROCESSES: '1', ...port };
    return new SupervisedProcess('worker', () => fork(join(__dirname, 'worker', 'main.js'), [], { env, stdio: 'inherit' }), logger);
  });
}

/**
 * API_PROCESSES api processes on PORT (`api/main.js`, forked by node:cluster). One that ends before
 * it ever listened (the port is taken, the settings refuse it) would only fail again: the whole
 * start stops, as a single api process stops at it.
 */
function apiProcesses(config: PlatformConfig, databaseUrl: string, logger: Logger, shutdown: Shutdown): SupervisedProcess[] {
  // The kernel gives each connection to whichever api process accepts it first (unless NODE_CLUSTER_SCHED_POLICY
  // says otherwise). With node's round-robin this process would accept every connection and pass it on, a cost per
  // connection, and one passed to an api process at the moment it died would hang, unanswered, with nobody to close it.
  if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: join(__dirname, 'api', 'main.js') });
  let listened = false;
  return Array.from({ length: config.apiProcesses }, () =>
    new SupervisedProcess(
      'api',
      () => {
        const forked = cluster.fork({ DATABASE_URL: databaseUrl, [API_CHILD_ENV]: '1' });
        // On PORT, that is: a METRICS_PORT listener comes up first.
        forked.on('listening', (address) => (listened ||= address.port === config.port || config.port === 0));
        forked.process.once('exit', (code) => {
          if (listened || shutdown.requested) return;
          logger.fatal({ code }, 'an api process stopped before it listened; stopping');
          shutdown.failed = true;
          shutdown.request('start-up failed');
        });
        return forked.process;
      },
      logger,
    ),
  );
}

/** What `ask` talks to: a child process, or (in a child) `process`, the channel to its parent. */
type Messenger = NodeJS.EventEmitter & { connected: boolean; send?: (message: object, callback: (error: Error | null) => void) => boolean };

/** Sends `{ type: '<type>?', id }` on `channel` and answers the `metrics` of its `{ type, id }` reply, or `none` when it does not come within `ms`. */
let nextQuestion = 0;
function ask<T>(channel: Messenger, type: string, ms: number, none: T): Promise<T> {
  if (!channel.connected || !channel.send) return Promise.resolve(none);
  const id = nextQuestion++;
  return new Promise((resolve) => {
    const answer = (message: { type?: string; id?: number; metrics?: T }) => {
      if (message?.type === type && message.id === id) done(message.metrics ?? none);
    };
    const timer = setTimeout(() => done(none), ms);
    const done = (value: T) => {
      clearTimeout(timer);
      channel.off('message', answer);
      resolve(value);
    };
    channel.on('message', answer);
    channel.send!({ type: `${type}?`, id }, (error) => error && done(none));
  });
}

/** `http://127.0.0.1:3000`: where the server really listens. */
function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * The one owner of the stop signals. Stopping goes: no more connections, the requests in flight
 * finish (at most `SHUTDOWN_TIMEOUT_MS`; then their connections are closed) — in each api process,
 * when there are several, which all do this at once — the app closes (the projections and process
 * managers finish the batch in hand and let their leases go) and the worker processes do the same,
 * then the embedded PostgreSQL stops, last; `stopped`, exit code 0.
 * A signal during start-up is acted on once the step under way is done. Should stopping hang, it
 * is cut short once every stage has had its time (exit code 1).
 */
class Shutdown {
  timeoutMs = 10_000;
  database: RunningDatabase | null = null;
  workers: SupervisedProcess[] = [];
  /** The api processes, when there are several (this process then serves no request itself). */
  apis: SupervisedProcess[] = [];
  /** Something failed that makes this stop exit 1 however cleanly it goes. */
  failed = false;
  app: INestApplicationContext | null = null;
  http: HttpDrain | null = null;
  /** The worker's own /health and /metrics listener: closed first, like the api's port. */
  listener: WorkerListener | null = null;
  requested: string | null = null;
  private running = false;
  private ready = false;

  constructor(private readonly logger: Logger) {}

  request(signal: string): void {
    if (this.requested) {
      this.logger.info({ signal }, 'already shutting down');
      return;
    }
    this.requested = signal;
    this.logger.info({ signal }, 'shutting down');
    // At once, not when run() begins: a Ctrl-C during a start-up step (NestFactory.create) reaches the children too,
    // and one that died of it meanwhile would be started again. (Those not yet started never are: run() comes first.)
    for (const child of [...this.apis, ...this.workers]) child.keepStopped();
    // Every stage's longest run, one after the other: the api processes (or this process's requests), the app and
    // the workers, the database's stop; and a margin for a start-up step still under way. The children's graces are
    // constants, so with a small SHUTDOWN_TIMEOUT_MS they, not the timeout, make up most of it.
    const stages = apiStopMs(this.timeoutMs) + CHILD_GRACE_MS + (this.timeoutMs + CHILD_GRACE_MS) + DATABASE_STOP_MS;
    setTimeout(() => void this.force(), stages + 10_000).unref();
    if (this.ready) void this.run();
  }

  /** Start-up is done: a signal from now on stops the app at once. */
  started(): void {
    this.ready = true;
    if (this.requested) void this.run();
  }

  async run(): Promise<never> {
    if (this.running) return new Promise<never>(() => undefined);
    this.running = true;
    let clean = !this.failed;
    await this.listener?.close(this.timeoutMs);
    // Each api process drains its own requests and closes; the workers keep going meanwhile, for what those requests cause.
    const apisStopped = await Promise.all(this.apis.map((api) => api.stop(apiStopMs(this.timeoutMs))));
    clean = clean && apisStopped.every(Boolean);
    if (this.http) {
      const cut = await this.http.close(this.timeoutMs);
      if (cut > 0) this.logger.warn({ requests: cut, timeoutMs: this.timeoutMs }, 'requests still in flight at SHUTDOWN_TIMEOUT_MS: their connections were closed');
    }
    const app = this.app ? this.app.close().then(() => true) : Promise.resolve(true);
    const [closed, ...workersStopped] = await Promise.all([
      within(app, this.timeoutMs).catch((error: unknown) => {
        this.logger.error({ err: error }, 'closing the app failed');
        return false;
      }),
      ...this.workers.map((worker) => worker.stop(this.timeoutMs)),
    ]);
    if (closed === undefined) this.logger.error({ timeoutMs: this.timeoutMs }, 'the app did not finish closing within SHUTDOWN_TIMEOUT_MS');
    clean = clean && closed === true && workersStopped.every(Boolean);
    await this.database?.stop().catch((error: unknown) => {
      clean = false;
      this.logger.error({ err: error }, 'stopping the embedded PostgreSQL failed');
    });
    const kept = this.database?.keptFor?.() ?? 0;
    if (kept > 0) {
      this.logger.info({ processes: kept }, 'the embedded PostgreSQL keeps running: other processes of the platform use it');
    }
    if (clean) this.logger.info('stopped');
    else this.logger.error('stopped, with work cut short');
    process.exit(clean ? 0 : 1);
  }

  /** Stopping hangs: the api and worker processes are killed, the database stopped, exit code 1. */
  private async force(): Promise<void> {
    this.logger.error({ timeoutMs: this.timeoutMs }, 'shutdown is taking too long; stopping at once');
    for (const child of [...this.apis, ...this.workers]) child.kill();
    await within(this.database?.stop() ?? Promise.resolve(), 5_000).catch(() => undefined);
    this.logger.error('stopped, with work cut short');
    process.exit(1);
  }
}

/** The longest an api process's own stop runs: its requests drain (SHUTDOWN_TIMEOUT_MS at most), then its app closes (as long). */
function apiStopMs(timeoutMs: number): number {
  return 2 * timeoutMs;
}

/** `promise`'s value, or undefined when it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The HTTP server's requests, so a stop can let them finish: `close()` takes no new connection,
 * closes the idle ones, and answers every request still in flight with `Connection: close`, so its
 * connection ends with its answer (a client never has a request cut half-way through an answer;
 * one sent on an idle connection as it closes sees the connection close before any answer began).
 */
/** Whether a response is a `text/event-stream` (its headers may have gone out through writeHead, which keeps none to read back). */
function isEventStream(response: ServerResponse): boolean {
  const sent = (response as ServerResponse & { _header?: string | null })._header ?? '';
  return /text\/event-stream/i.test(String(response.getHeader('content-type') ?? '')) || /^content-type:\s*text\/event-stream/im.test(sent);
}

class HttpDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private closing = false;

  constructor(private readonly server: Server) {
    server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
      if (this.closing) response.setHeader('connection', 'close');
      this.inFlight.add(response);
      response.once('close', () => this.inFlight.delete(response));
    });
  }

  /**
   * Waits for the requests in flight, at most `timeoutMs`; answers how many were cut then. A live
   * stream (server-sent events) has no end to wait for: it is ended at once, and its client
   * reconnects (to another api process, or to this one once it is back).
   */
  async close(timeoutMs: number): Promise<number> {
    this.closing = true;
    for (const response of this.inFlight) {
      if (!response.headersSent) response.setHeader('connection', 'close');
      else if (isEventStream(response)) response.end();
    }
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if ((await within(closed.then(() => true), timeoutMs)) === true) return 0;
    const cut = this.inFlight.size;
    this.server.closeAllConnections();
    await closed;
    return cut;
  }
}

/**
 * A worker or api process this one started, on the database this one prepared; started again,
 * with a growing pause, should it die (a worker's leases pass to the others or to the new one; an
 * api process's connections go to the others meanwhile).
 */
class SupervisedProcess {
  /** Messages from the process, with it (the primary answers an api process's questions). */
  onMessage: ((child: ChildProcess, message: { type?: string; id?: number }) => void) | null = null;
  private child: ChildProcess | null = null;
  private stopping = false;
  private restartMs = RESTART_MS;
  private restart: NodeJS.Timeout | null = null;

  constructor(
    private readonly role: 'worker' | 'api',
    private readonly spawn: () => ChildProcess,
    private readonly logger: Logger,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const startedAt = Date.now();
    const child = this.spawn();
    this.child = child;
    child.on('message', (message: { type?: string; id?: number }) => this.onMessage?.(child, message));
    child.once('exit', (code, signal) => {
      this.child = null;
      // A Ctrl-C reaches every process: this one may be gone a moment before the one that started it stops.
      setTimeout(() => {
        if (this.stopping) return;
        // One that ran a while is started again soon; one that keeps dying, ever more slowly.
        if (Date.now() - startedAt > 60_000) this.restartMs = RESTART_MS;
        this.logger.error({ code, signal, childPid: child.pid, restartInMs: this.restartMs }, `${this.role} process exited; starting it again`);
        this.restart = setTimeout(() => this.start(), this.restartMs);
        this.restartMs = Math.min(this.restartMs * 2, 60_000);
      }, 250);
    });
  }

  /** Its metrics (`getMetricsAsJSON()`, less the scrape-time gauges), or none when it does not answer within a second. */
  metrics(): Promise<object[]> {
    return this.child ? ask<object[]>(this.child as Messenger, 'metrics', PEER_METRICS_MS, []) : Promise.resolve([]);
  }

  /** From now on, when it ends it is not started again. */
  keepStopped(): void {
    this.stopping = true;
    if (this.restart) clearTimeout(this.restart);
  }

  /**
   * SIGTERM, and waits for it to finish its requests or batches (and let its leases go); one still
   * running `stopMs` (the longest its own stop runs) and CHILD_GRACE_MS later is killed. Answers
   * whether it stopped by itself.
   */
  async stop(stopMs: number): Promise<boolean> {
    this.keepStopped();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return true;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    const exit = await within(exited, stopMs + CHILD_GRACE_MS);
    // It exits 0 when it stopped cleanly, 1 when it had to cut its own work short. One that a stop signal ended by
    // its default action had not yet run a line of ours (the entry points take those signals first thing): stopped
    // while node was still starting it, it had nothing to cut short.
    if (exit !== undefined) return exit.code === 0 || (STOP_SIGNALS as readonly string[]).includes(exit.signal ?? '');
    this.logger.error({ childPid: child.pid, timeoutMs: stopMs + CHILD_GRACE_MS }, `the ${this.role} process did not stop in time; killing it`);
    child.kill('SIGKILL');
    await exited;
    return false;
  }

  kill(): void {
    this.keepStopped();
    this.child?.kill('SIGKILL');
  }
}
