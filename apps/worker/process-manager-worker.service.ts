import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  CONTEXTS,
  type ContextDefinition,
  EventSchemaRegistry,
  KNEX,
  LOGGER,
  PLATFORM_OPTIONS,
  type PlatformOptions,
  type ProcessManager,
  type ProcessManagerDefinition,
  ProcessManagerWorker,
  processManagerOptionsOf,
} from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';

/**
 * Runs every context's process managers (`processManagers` of its definition), each under its lease. On
 * shutdown each finishes the events in hand, checkpoints what it handled and lets its lease go.
 */
@Injectable()
export class ProcessManagerWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker: ProcessManagerWorker | null = null;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(CONTEXTS) private readonly contexts: readonly ContextDefinition[],
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly schemas: EventSchemaRegistry,
  ) {}

  /** The process managers of the contexts this app runs. */
  definitions(): ProcessManagerDefinition[] {
    return this.contexts.flatMap((context) =>
      context.processManagers.map((type) => ({
        ...processManagerOptionsOf(type),
        handler: this.moduleRef.get<ProcessManager>(type, { strict: false }),
      })),
    );
  }

  /** The process managers this process holds the lease of now. */
  get owned(): string[] {
    return this.worker?.owned ?? [];
  }

  onApplicationBootstrap(): Promise<void> {
    const { config } = this.options;
    this.worker = new ProcessManagerWorker({
      connectionString: this.options.databaseUrl,
      store: this.store,
      knex: this.knex,
      processManagers: this.definitions(),
      schemas: this.schemas,
      retryDelayMs: config.processManagerRetryMs,
      maxRetryDelayMs: config.processManagerMaxRetryMs,
      concurrency: config.processManagerConcurrency,
      batchSize: config.processManagerBatchSize,
      idleCheckpointMs: config.idleCheckpointMs,
      log: (level, message, details) => this.logger[level](details ?? {}, message),
    });
    return this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
  }
}
