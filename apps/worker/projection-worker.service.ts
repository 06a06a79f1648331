import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  createProjectionWorker,
  EventSchemaRegistry,
  KNEX,
  LOGGER,
  PLATFORM_OPTIONS,
  PlatformMetrics,
  type PlatformOptions,
  PROJECTIONS,
  type ProjectionDefinition,
  type ProjectionWorker,
} from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';

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
    this.worker = createProjectionWorker({ options, store, knex, logger, schemas, metrics }, projections);
  }

  /** The projections this process holds the lease of now. */
  get owned(): string[] {
    return this.worker.owned;
  }

  onApplicationBootstrap(): Promise<void> {
    return this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
