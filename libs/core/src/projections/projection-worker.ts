import type { INestApplicationContext } from '@nestjs/common';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { EventSchemaRegistry } from '../events/event-schemas';
import type { Lease } from '../leases/lease';
import { LeaseWorker } from '../leases/lease-worker';
import type { PlatformOptions } from '../nest/platform.module';
import { KNEX, LOGGER, PLATFORM_OPTIONS } from '../nest/tokens';
import { PlatformMetrics } from '../observability/metrics';
import type { ProjectionDefinition } from './projection';
import { ProjectionRunner, type RunnerDependencies } from './projection-runner';
import { LEASE_CLASS, ProjectionStore } from './projection-store';

export interface ProjectionWorkerOptions {
  connectionString: string;
  store: EventStore;
  knex: Knex;
  projections: readonly ProjectionDefinition[];
  schemas?: EventSchemaRegistry;
  batchSize?: number;
  maxRetries?: number;
  retryDelayMs?: number;
  liveBatchMs?: number;
  idleCheckpointMs?: number;
  /** How often the worker tries to take over unowned projections and picks up rebuilds and resumes. */
  leaseCheckMs?: number;
  log?: RunnerDependencies['log'];
  onApplied?: RunnerDependencies['onApplied'];
}

/**
 * Runs every projection this process can get the lease of (see LeaseWorker): when the process
 * dies, PostgreSQL releases its leases and another worker takes the projections over on its next
 * check. Each check also lets the running projections pick up rebuilds and resumes.
 */
export class ProjectionWorker extends LeaseWorker<ProjectionRunner> {
  private readonly projectionStore: ProjectionStore;

  constructor(private readonly options: ProjectionWorkerOptions) {
    super({
      connectionString: options.connectionString,
      leaseClass: LEASE_CLASS,
      applicationName: 'projection-leases',
      leaseCheckMs: options.leaseCheckMs,
      log: options.log,
    });
    this.projectionStore = new ProjectionStore(options.knex);
  }

  protected async install(): Promise<void> {
    for (const definition of this.options.projections) await this.projectionStore.install(definition);
  }

  protected async check(): Promise<void> {
    // Every projection's state in one read per check, not one read per projection.
    const states = new Map((await this.projectionStore.states()).map((state) => [state.name, state]));
    for (const definition of this.options.projections) {
      let runner = this.runners.get(definition.name);
      if (!runner) {
        const lease = await this.tryLease(definition.name);
        if (lease === null) continue;
        runner = new ProjectionRunner(definition, this.dependencies(lease));
        this.runners.set(definition.name, runner);
        this.options.log?.('info', 'projection lease taken', { projection: definition.name, pid: this.leasePid });
      }
      await runner.reconcile(states.get(definition.name));
    }
  }

  private dependencies(lease: Lease): RunnerDependencies {
    return {
      store: this.options.store,
      knex: this.options.knex,
      projections: this.projectionStore,
      schemas: this.options.schemas ?? new EventSchemaRegistry(),
      batchSize: this.options.batchSize ?? 2000,
      maxRetries: this.options.maxRetries ?? 3,
      retryDelayMs: this.options.retryDelayMs,
      liveBatchMs: this.options.liveBatchMs,
      idleCheckpointMs: this.options.idleCheckpointMs,
      lease,
      log: this.options.log,
      onApplied: this.options.onApplied,
    };
  }
}

/** What a platform's projection worker is made of: its settings, log and metrics. */
export interface PlatformProjectionWorkerDependencies {
  options: PlatformOptions;
  store: EventStore;
  knex: Knex;
  logger: Logger;
  schemas: EventSchemaRegistry;
  metrics: PlatformMetrics;
}

/**
 * A worker for `projections` set up the way the platform runs them (batch size, retries, live
 * batching from the platform config; log and metrics). The worker app runs one for every
 * projection; the CLI runs one for a rebuild, so it happens even when no worker process is up.
 */
export function createProjectionWorker(
  deps: PlatformProjectionWorkerDependencies,
  projections: readonly ProjectionDefinition[],
): ProjectionWorker {
  return new ProjectionWorker({
    connectionString: deps.options.databaseUrl,
    store: deps.store,
    knex: deps.knex,
    projections,
    schemas: deps.schemas,
    batchSize: deps.options.config.projectionBatchSize,
    maxRetries: deps.options.config.projectionMaxRetries,
    liveBatchMs: deps.options.config.projectionLiveBatchMs,
    idleCheckpointMs: deps.options.config.idleCheckpointMs,
    log: (level, message, details) => deps.logger[level](details ?? {}, message),
    onApplied: (projection, events) => deps.metrics.eventsApplied.inc({ projection }, events),
  });
}

/** `createProjectionWorker` with its dependencies taken from a running platform app. */
export function projectionWorkerFrom(app: INestApplicationContext, projections: readonly ProjectionDefinition[]): ProjectionWorker {
  return createProjectionWorker(
    {
      options: app.get<PlatformOptions>(PLATFORM_OPTIONS),
      store: app.get<EventStore>(EVENT_STORE),
      knex: app.get<Knex>(KNEX),
      logger: app.get<Logger>(LOGGER),
      schemas: app.get(EventSchemaRegistry),
      metrics: app.get(PlatformMetrics),
    },
    projections,
  );
}
