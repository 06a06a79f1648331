import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  EventSchemaRegistry,
  KNEX,
  LOGGER,
  PLATFORM_OPTIONS,
  PlatformMetrics,
  type PlatformOptions,
  ProjectionWorker,
} from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';

/** Runs the projections this process can lease; on shutdown finishes its batches and lets go. */
@Injectable()
export class ProjectionWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: ProjectionWorker;

  constructor(
    @Inject(PLATFORM_OPTIONS) options: PlatformOptions,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(KNEX) knex: Knex,
    @Inject(LOGGER) logger: Logger,
    schemas: EventSchemaRegistry,
    metrics: PlatformMetrics,
  ) {
    this.worker = new ProjectionWorker({
      connectionString: options.databaseUrl,
      store,
      knex,
      projections: options.projections,
      schemas,
      batchSize: options.config.projectionBatchSize,
      maxRetries: options.config.projectionMaxRetries,
      log: (level, message, details) => logger[level](details ?? {}, message),
      onApplied: (projection, events) => metrics.eventsApplied.inc({ projection }, events),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
