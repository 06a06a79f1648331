import { IdempotencyStore } from '../http/idempotency';
import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { CommandRunner } from '../commands/command-runner';
import type { PlatformConfig } from '../config/config';
import { createKnex } from '../database/migrations';
import { EventSchemaRegistry } from '../events/event-schemas';
import { InstrumentedEventStore } from '../observability/instrumented-event-store';
import { PlatformMetrics } from '../observability/metrics';
import { ConsistencyWaiter } from '../projections/consistency';
import { PROJECTIONS, type ProjectionDefinition } from '../projections/projection';
import { postgresCounter, readingCounter } from '../projections/pending-events';
import { ProjectionStatusReader } from '../projections/projection-status';
import { ProjectionStore } from '../projections/projection-store';
import { processManagerOptionsOf } from '../process-managers/process-manager';
import { ProcessManagerStore } from '../process-managers/process-manager-store';
import { ReactionGraph } from '../process-managers/reaction-graph';
import { workflowOptionsOf, workflowProcessManagerOptions } from '../workflows/workflow';
import { ReadModels } from '../projections/read-models';
import { CONTEXTS, type ContextDefinition, contextProjections } from './context';
import { CLOCK, systemClock } from '../time/clock';
import { createEventStore } from './event-store.factory';
import { KNEX, LOGGER, PLATFORM_CONFIG, PLATFORM_OPTIONS } from './tokens';

export interface PlatformOptions {
  config: PlatformConfig;
  /** The PostgreSQL holding read models (and, with EVENT_STORE=postgres, the event store). */
  databaseUrl: string;
  logger: Logger;
  /** The contexts the app runs: their projections, event schemas and process managers. */
  contexts: readonly ContextDefinition[];
  /** Their configs, from `loadContextConfigs` (loaded once, at launch). */
  contextConfigs: Provider[];
}

/** Installs every projection's tables and views at start-up, and closes connections at the end. */
@Injectable()
class PlatformLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(PROJECTIONS) private readonly projections: ProjectionDefinition[],
    private readonly projectionStore: ProjectionStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KNEX) private readonly knex: Knex,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.ping();
    for (const projection of this.projections) await this.projectionStore.install(projection);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.knex.destroy();
  }
}

/** The shared pieces every app uses: config, database, event store, the buses, command runner, projections. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const projections = contextProjections(options.contexts);
    const eventSchemas = options.contexts.flatMap((context) => context.eventSchemas);
    // Which process managers feed which read models, from what each declares it reads and emits.
    const reactions = new ReactionGraph(
      options.contexts.flatMap((context) => [
        ...context.processManagers.map((type) => processManagerOptionsOf(type)),
        ...context.workflows.map((type) => workflowProcessManagerOptions(workflowOptionsOf(type))),
      ]),
      projections,
    );
    const contextConfigTokens = options.contextConfigs.map((provider) => (provider as { provide: symbol }).provide);
    return {
      module: PlatformModule,
      // The one command, query and event bus of the app (global): every caller dispatches on it.
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: options },
        { provide: PLATFORM_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
        { provide: CONTEXTS, useValue: options.contexts },
        { provide: PROJECTIONS, useValue: projections },
        ...options.contextConfigs,
        PlatformMetrics,
        { provide: EventSchemaRegistry, useFactory: () => new EventSchemaRegistry().register(...eventSchemas) },
        { provide: KNEX, useFactory: () => createKnex(options.databaseUrl, options.config.readModelPoolSize) },
        {
          provide: EVENT_STORE,
          inject: [PlatformMetrics],
          useFactory: (metrics: PlatformMetrics) =>
            new InstrumentedEventStore(createEventStore(options.config, options.databaseUrl), metrics.appendDuration),
        },
        {
          provide: CommandRunner,
          inject: [EVENT_STORE, EventSchemaRegistry, PlatformMetrics],
          useFactory: (store: EventStore, schemas: EventSchemaRegistry, metrics: PlatformMetrics) =>
            new CommandRunner(store, schemas, { onOutcome: (type, outcome) => metrics.commands.inc({ type, outcome }) }),
        },
        { provide: ProjectionStore, inject: [KNEX], useFactory: (knex: Knex) => new ProjectionStore(knex) },
        {
          provide: ConsistencyWaiter,
          inject: [ProjectionStore, ProcessManagerStore, EVENT_STORE],
          useFactory: (store: ProjectionStore, processManagers: ProcessManagerStore, log: EventStore) =>
            new ConsistencyWaiter(store, { reactions, processManagers, log }),
        },
        {
          provide: ProjectionStatusReader,
          inject: [EVENT_STORE, KNEX, ProjectionStore],
          useFactory: (store: EventStore, knex: Knex, projectionStore: ProjectionStore) =>
            new ProjectionStatusReader(
              options.config.eventStore === 'postgres' ? postgresCounter(knex) : readingCounter(store),
              projectionStore,
              projections,
            ),
        },
        { provide: ProcessManagerStore, inject: [KNEX], useFactory: (knex: Knex) => new ProcessManagerStore(knex) },
        { provide: CLOCK, useValue: systemClock },
        ReadModels,
        IdempotencyStore,
        PlatformLifecycle,
      ],
      exports: [
        PLATFORM_OPTIONS,
        PLATFORM_CONFIG,
        LOGGER,
        CONTEXTS,
        PROJECTIONS,
        ...contextConfigTokens,
        PlatformMetrics,
        EventSchemaRegistry,
        KNEX,
        EVENT_STORE,
        CommandRunner,
        IdempotencyStore,
        ProjectionStore,
        ConsistencyWaiter,
        ProjectionStatusReader,
        ProcessManagerStore,
        CLOCK,
        ReadModels,
      ],
    };
  }
}
