import { type BeforeApplicationShutdown, Inject, Injectable, type INestApplicationContext, type OnApplicationBootstrap } from '@nestjs/common';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  EventSchemaRegistry,
  KNEX,
  LOGGER,
  PLATFORM_OPTIONS,
  PlatformMetrics,
  type PlatformOptions,
  PROJECTIONS,
  type ProjectionDefinition,
  ProjectionWorker,
} from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';

interface WorkerDependencies {
  options: PlatformOptions;
  store: EventStore;
  knex: Knex;
  logger: Logger;
  schemas: EventSchemaRegistry;
  metrics: PlatformMetrics;
}

function createWorker(deps: WorkerDependencies, projections: readonly ProjectionDefinition[]): ProjectionWorker {
  return new ProjectionWorker({
    connectionString: deps.options.databaseUrl,
    store: deps.store,
    knex: deps.knex,
    projections,
    schemas: deps.schemas,
    batchSize: deps.options.config.projectionBatchSize,
    maxRetries: deps.options.config.projectionMaxRetries,
    liveBatchMs: deps.options.config.projectionLiveBatchMs,
    log: (level, message, details) => deps.logger[level](details ?? {}, message),
    onApplied: (projection, events) => deps.metrics.eventsApplied.inc({ projection }, events),
  });
}

/**
 * A worker for some projections, wired from a running app; the CLI uses it to run a rebuild
 * itself when no worker process holds that projection's lease.
 */
export function projectionWorkerFrom(app: INestApplicationContext, projections: readonly ProjectionDefinition[]): ProjectionWorker {
  return createWorker(
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

/** Runs the projections this process can lease; on shutdown finishes its batches and lets go. */
@Injectable()
export class ProjectionWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: ProjectionWorker;

  constructor(
    @Inject(PLATFORM_OPTIONS) options: PlatformOptions,
    @Inject(PROJECTIONS) projections: ProjectionDefinition[],
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(KNEX) knex: Knex,
    @Inject(LOGGER) logger: Logger,
    schemas: EventSchemaRegistry,
    metrics: PlatformMetrics,
  ) {
    this.worker = createWorker({ options, store, knex, logger, schemas, metrics }, projections);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
