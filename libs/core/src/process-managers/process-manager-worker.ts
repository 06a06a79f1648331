import type { Knex } from 'knex';
import type { EventStore, Position, RecordedEvent, Subscription } from '@app/eventstore';
import { newContext, type RequestContext, runWithContext } from '../context/request-context';
import { EventSchemaRegistry } from '../events/event-schemas';
import { type Lease, LeaseLostError } from '../leases/lease';
import { type LeaseLog, LeaseWorker } from '../leases/lease-worker';
import type { ProcessManagerDefinition } from './process-manager';
import { PROCESS_MANAGER_LEASE_CLASS, ProcessManagerStore } from './process-manager-store';

type Log = LeaseLog;

export interface ProcessManagerWorkerOptions {
  connectionString: string;
  store: EventStore;
  knex: Knex;
  processManagers: readonly ProcessManagerDefinition[];
  schemas?: EventSchemaRegistry;
  /** First delay before handling a failed event again; doubles each time up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How often the worker tries to take over process managers nobody runs. */
  leaseCheckMs?: number;
  log?: Log;
}

/**
 * Runs every process manager this process can get the lease of, the way the projection worker
 * runs projections: a lease is a session advisory lock on a dedicated connection, so exactly one
 * process runs each process manager, and when that process dies another takes it over.
 *
 * Delivery is at least once: an event is handled, then the checkpoint moves past it. A crash in
 * between delivers the event again, which is harmless because handlers are idempotent. A failing
 * event is retried with backoff, and never skipped; the error is visible in the checkpoint row.
 */
export class ProcessManagerWorker extends LeaseWorker<ProcessManagerRunner> {
  readonly checkpoints: ProcessManagerStore;

  constructor(private readonly options: ProcessManagerWorkerOptions) {
    super({
      connectionString: options.connectionString,
      leaseClass: PROCESS_MANAGER_LEASE_CLASS,
      applicationName: 'process-manager-leases',
      leaseCheckMs: options.leaseCheckMs,
      log: options.log,
    });
    this.checkpoints = new ProcessManagerStore(options.knex);
  }

  override async start(): Promise<void> {
    // Nothing to lease: no connection held for nothing.
    if (this.options.processManagers.length > 0) await super.start();
  }

  protected async install(): Promise<void> {
    for (const { name } of this.options.processManagers) await this.checkpoints.install(name);
  }

  protected async check(): Promise<void> {
    for (const definition of this.options.processManagers) {
      const running = this.runners.get(definition.name);
      if (running && !running.finished) continue;
      if (running) {
        // Its loop ended (lease lost, or an error it could not retry): let go, then compete again.
        this.runners.delete(definition.name);
        await this.unlock(definition.name);
      }
      const lease = await this.tryLease(definition.name);
      if (lease === null) continue;
      const runner = new ProcessManagerRunner(definition, {
        store: this.options.store,
        checkpoints: this.checkpoints,
        schemas: this.options.schemas ?? new EventSchemaRegistry(),
        retryDelayMs: this.options.retryDelayMs ?? 500,
        maxRetryDelayMs: this.options.maxRetryDelayMs ?? 30_000,
        lease,
        log: this.options.log,
      });
      this.runners.set(definition.name, runner);
      this.options.log?.('info', 'process manager lease taken', { processManager: definition.name, pid: this.leasePid });
      runner.start();
    }
  }
}

interface RunnerDependencies {
  store: EventStore;
  checkpoints: ProcessManagerStore;
  schemas: EventSchemaRegistry;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  lease: Lease;
  log?: Log;
}

class Stopped extends Error {}

/** One process manager's loop: subscribe from the checkpoint, handle, checkpoint, repeat. */
class ProcessManagerRunner {
  finished = false;
  private subscription: Subscription | null = null;
  private loop: Promise<void> = Promise.resolve();
  private stopping = false;
  private wake: () => void = () => undefined;

  constructor(
    private readonly definition: ProcessManagerDefinition,
    private readonly deps: RunnerDependencies,
  ) {}

  start(): void {
    this.loop = this.run()
      .catch((error: Error) => {
        if (error instanceof Stopped || error instanceof LeaseLostError) return;
        this.deps.log?.('error', 'process manager stopped on an error', { processManager: this.definition.name, error: error.message });
      })
      .finally(() => {
        this.finished = true;
      });
  }

  /** Stops after the event in hand (a retry wait is cut short; that event is delivered again later). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.subscription?.stop();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { name, eventTypes } = this.definition;
    const checkpoint = await this.deps.checkpoints.checkpoint(name);
    let position: Position | null = checkpoint?.position ?? null;
    this.subscription = this.deps.store.subscribeToAll({ fromPosition: position ?? 'start', filter: { eventTypes }, maxBatchSize: 100 });
    if (this.stopping) await this.subscription.stop();
    for await (const message of this.subscription) {
      if (message.type === 'events') {
        for (const event of message.events) {
          if (this.stopping) throw new Stopped();
          await this.handle(this.deps.schemas.upcast(event));
          await this.deps.checkpoints.moveCheckpoint(name, event.position, this.deps.lease);
          position = event.position;
        }
      } else if (message.position !== null && (position === null || message.position > position)) {
        // Events it does not react to were passed over: the checkpoint moves past them.
        await this.deps.checkpoints.moveCheckpoint(name, message.position, this.deps.lease);
        position = message.position;
      }
    }
  }

  private async handle(event: RecordedEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await runWithContext(causedBy(event), () => this.definition.handler.handle(event));
        return;
      } catch (error) {
        const message = (error as Error).message;
        const delay = Math.min(this.deps.retryDelayMs * 2 ** (attempt - 1), this.deps.maxRetryDelayMs);
        this.deps.log?.('warn', 'process manager failed on an event; retrying', {
          processManager: this.definition.name,
          eventId: event.id,
          eventType: event.type,
          attempt,
          retryInMs: delay,
          error: message,
        });
        await this.deps.checkpoints.recordFailure(this.definition.name, attempt, message).catch(() => undefined);
        await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) throw new Stopped();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        reject(new Stopped());
      };
    });
  }
}

/** What a reaction writes is caused by the event it reacts to, in that event's correlation and trace. */
function causedBy(event: RecordedEvent): RequestContext {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return newContext({
    correlationId: text(event.metadata.correlationId),
    causationId: event.id,
    userId: text(event.metadata.userId),
    traceKey: text(event.metadata.traceKey),
  });
}
