import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  EventSchemaRegistry,
  KNEX,
  LOGGER,
  PLATFORM_OPTIONS,
  type PlatformOptions,
  PROCESS_MANAGER,
  type ProcessManager,
  type ProcessManagerDefinition,
  type ProcessManagerOptions,
  ProcessManagerWorker,
} from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';

/**
 * Runs every provider marked `@AsProcessManager` in the worker app, each under its lease. On
 * shutdown each finishes the event in hand and lets its lease go.
 */
@Injectable()
export class ProcessManagerWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker: ProcessManagerWorker | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly schemas: EventSchemaRegistry,
  ) {}

  /** The process managers this app contains. */
  definitions(): ProcessManagerDefinition[] {
    const found = new Map<string, ProcessManagerDefinition>();
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const options = Reflect.getMetadata(PROCESS_MANAGER, wrapper.metatype) as ProcessManagerOptions | undefined;
      if (options) found.set(options.name, { ...options, handler: wrapper.instance as ProcessManager });
    }
    return [...found.values()];
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
      log: (level, message, details) => this.logger[level](details ?? {}, message),
    });
    return this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
  }
}
