import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  CLOCK,
  type Clock,
  CONTEXTS,
  type ContextDefinition,
  EventSchemaRegistry,
  type FiredTimer,
  KNEX,
  LOGGER,
  PLATFORM_OPTIONS,
  type PlatformOptions,
  PROCESS_MANAGER,
  type ProcessManagerOptions,
  type Workflow,
  type WorkflowDefinition,
  workflowOptionsOf,
  WorkflowRuntime,
} from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';

/**
 * Runs every context's workflows (`workflows` of its definition) on the process-manager runtime,
 * each under its lease, and fires their due timers. On shutdown the poller stops, a command in
 * flight that can stop does, and each workflow finishes the event in hand and lets its lease go.
 */
@Injectable()
export class WorkflowWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private runtime: WorkflowRuntime | null = null;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly commandBus: CommandBus,
    @Inject(CONTEXTS) private readonly contexts: readonly ContextDefinition[],
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly schemas: EventSchemaRegistry,
  ) {}

  /** The workflows of the contexts this app runs; a name a process manager has too is refused (they share checkpoints). */
  definitions(): WorkflowDefinition[] {
    const processManagers = new Set(
      this.contexts.flatMap((context) => context.processManagers).map((type) => (Reflect.getMetadata(PROCESS_MANAGER, type) as ProcessManagerOptions | undefined)?.name),
    );
    return this.contexts.flatMap((context) =>
      context.workflows.map((type) => {
        const options = workflowOptionsOf(type);
        if (processManagers.has(options.name)) throw new Error(`Workflow ${options.name} of ${context.name} has the name of a process manager`);
        return { ...options, workflow: this.moduleRef.get<Workflow>(type, { strict: false }) };
      }),
    );
  }

  onApplicationBootstrap(): Promise<void> {
    const { config } = this.options;
    this.runtime = new WorkflowRuntime({
      connectionString: this.options.databaseUrl,
      store: this.store,
      knex: this.knex,
      workflows: this.definitions(),
      dispatch: (command) => this.commandBus.execute(command as never),
      clock: this.clock,
      schemas: this.schemas,
      retryDelayMs: config.processManagerRetryMs,
      maxRetryDelayMs: config.processManagerMaxRetryMs,
      concurrency: config.processManagerConcurrency,
      idleCheckpointMs: config.idleCheckpointMs,
      log: (level, message, details) => this.logger[level](details ?? {}, message),
    });
    return this.runtime.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime?.stop();
  }

  /**
   * Does at once what the worker does on its own as time passes: lets every workflow handle the
   * log, fires the timers due at `now` (the clock's time by default), and again until none is
   * due; resolves to the timers fired.
   */
  runDue(now?: Date): Promise<FiredTimer[]> {
    if (!this.runtime) throw new Error('The workflows are not running');
    return this.runtime.runDue(now);
  }
}
