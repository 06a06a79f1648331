import type { Knex } from 'knex';
import type { EventStore, Position, RecordedEvent, Subscription } from '@app/eventstore';
import { newContext, type ReactionWrites, type RequestContext, runWithContext } from '../context/request-context';
import { EventSchemaRegistry } from '../events/event-schemas';
import { type Lease, LeaseLostError } from '../leases/lease';
import { type LeaseLog, LeaseWorker } from '../leases/lease-worker';
import type { ProcessManagerDefinition } from './process-manager';
import { PROCESS_MANAGER_LEASE_CLASS, ProcessManagerStore, type SkipRequest } from './process-manager-store';

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
  /** Keys of one batch handled at once (each key's events still one after another); default 32. 1: one event at a time, in log order. */
  concurrency?: number;
  /** Most events read and handled as one batch (one checkpoint write); default 100. */
  batchSize?: number;
  /** While idle, the least time between two moves of the checkpoint past events of other types; default 1,000. */
  idleCheckpointMs?: number;
  /** How often the worker tries to take over process managers nobody runs. */
  leaseCheckMs?: number;
  /** While waiting to retry a failing event, how often it looks for an operator's request to skip it; default 1,000. */
  skipCheckMs?: number;
  log?: Log;
}

/**
 * Runs every process manager this process can get the lease of, the way the projection worker
 * runs projections: a lease is a session advisory lock on a dedicated connection, so exactly one
 * process runs each process manager, and when that process dies another takes it over.
 *
 * Each batch of the subscription is handled together: its events are grouped by the process
 * manager's `keyOf` (default: the stream), up to `concurrency` groups run at once, and each group
 * handles its events one after another in log order. The checkpoint then moves once, past the
 * batch, in one write fenced by the lease.
 *
 * Delivery is at least once: events are handled, then the checkpoint moves past them. A crash in
 * between delivers them again, which is harmless because handlers are idempotent. When an event
 * fails, its group stops there while the others go on; the checkpoint moves only to just before
 * the earliest event not handled (every event before it in log order was), the error and attempt
 * count go into the checkpoint row, and after the backoff the events not yet handled are tried
 * again. A failing event is never skipped on its own: only when an operator asks to skip that very
 * event (`ProcessManagerStore.requestSkip`, from any process), which the runner looks for while it
 * waits to retry; it then counts the event as handled, says so at warn, and goes on.
 *
 * A process manager with `handleAll` is given each batch whole instead, as one unit: handled, or
 * failed and retried whole.
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
        concurrency: Math.max(1, this.options.concurrency ?? 32),
        batchSize: Math.max(1, this.options.batchSize ?? 100),
        idleCheckpointMs: Math.max(0, this.options.idleCheckpointMs ?? 1000),
        skipCheckMs: Math.max(1, this.options.skipCheckMs ?? 1000),
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
  concurrency: number;
  batchSize: number;
  idleCheckpointMs: number;
  skipCheckMs: number;
  lease: Lease;
  log?: Log;
}

class Stopped extends Error {}

/** The outcome of one pass over a batch's events: which were handled, and the earliest failure. */
interface Pass {
  handled: boolean[];
  failure: { index: number; error: Error } | null;
}

/** One process manager's loop: subscribe from the checkpoint, handle a batch, checkpoint, repeat. */
class ProcessManagerRunner {
  finished = false;
  private subscription: Subscription | null = null;
  private loop: Promise<void> = Promise.resolve();
  private stopping = false;
  private wake: () => void = () => undefined;
  /** The highest position its reactions wrote so far; goes with every checkpoint write. */
  private writtenUpTo: Position | null = null;
  /** Types written but not in `emits`, each logged once. */
  private readonly undeclared = new Set<string>();

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

  /**
   * Stops after the events in hand (each group finishes the event it is handling and starts no
   * other), moves the checkpoint to just before the earliest event not handled, and ends; a retry
   * wait is cut short. What was not handled is delivered again later.
   */
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
    this.writtenUpTo = checkpoint?.written_position ?? null;
    this.subscription = this.deps.store.subscribeToAll({ fromPosition: position ?? 'start', filter: { eventTypes }, maxBatchSize: this.deps.batchSize });
    if (this.stopping) await this.subscription.stop();
    let idleWrittenAt = 0;
    // How far it has read past its checkpoint while idle; written now and then, and when it stops.
    let unwritten: Position | null = null;
    try {
      for await (const message of this.subscription) {
        if (message.type === 'events') {
          if (this.stopping) throw new Stopped();
          if (message.events.length === 0) continue;
          // The batch moves the checkpoint itself, past what was read before it.
          unwritten = null;
          await this.handleBatch(message.events.map((event) => this.deps.schemas.upcast(event)));
          position = message.events[message.events.length - 1].position;
        } else if (message.position !== null && (position === null || message.position > position)) {
          // Events it does not react to were passed over: the checkpoint moves past them, now and
          // then (each append anywhere in the log would otherwise cost every idle reaction a commit;
          // read-your-writes does not wait for it, see ConsistencyWaiter).
          position = message.position;
          unwritten = position;
          if (Date.now() - idleWrittenAt >= this.deps.idleCheckpointMs) {
            await this.moveCheckpoint(position);
            unwritten = null;
            idleWrittenAt = Date.now();
          }
        }
      }
    } finally {
      if (unwritten !== null) await this.moveCheckpoint(unwritten).catch(() => undefined);
    }
  }

  /**
   * Handles every event of a batch (in log order) and then moves the checkpoint past it. A pass
   * that leaves events unhandled (a failure, or a stop) moves the checkpoint to just before the
   * earliest of them; after a failure the next pass, after the backoff, takes only those (less the
   * failing event when an operator asked to skip it meanwhile).
   */
  private async handleBatch(batch: readonly RecordedEvent[]): Promise<void> {
    const { name } = this.definition;
    let pending = batch;
    let failing: { eventId: string; attempts: number } | null = null;
    for (;;) {
      const { handled, failure } = await this.pass(pending);
      const firstUnhandled = handled.indexOf(false);
      if (firstUnhandled === -1) {
        // Every event of the batch is handled now, those handled in earlier passes too.
        await this.moveCheckpoint(batch[batch.length - 1].position);
        return;
      }
      if (firstUnhandled > 0) await this.moveCheckpoint(pending[firstUnhandled - 1].position);
      if (!failure) throw new Stopped();
      const event = pending[failure.index];
      const attempts: number = failing?.eventId === event.id ? failing.attempts + 1 : 1;
      failing = { eventId: event.id, attempts };
      const delay = Math.min(this.deps.retryDelayMs * 2 ** (attempts - 1), this.deps.maxRetryDelayMs);
      this.deps.log?.('warn', 'process manager failed on an event; retrying', {
        processManager: name,
        eventId: event.id,
        eventType: event.type,
        attempt: attempts,
        retryInMs: delay,
        error: failure.error.message,
      });
      await this.deps.checkpoints
        .recordFailure(name, attempts, failure.error.message, { eventId: event.id, type: event.type, position: event.position })
        .catch(() => undefined);
      // A key's handled events are a prefix of its events, so what is left keeps each key's order.
      pending = pending.filter((_, index) => !handled[index]);
      const skip = await this.backoff(delay, event);
      if (!skip) continue;
      this.deps.log?.('warn', 'process manager skipped the event it failed on, as an operator asked', {
        processManager: name,
        eventId: event.id,
        eventType: event.type,
        position: event.position,
        attempts,
        error: failure.error.message,
        requestedBy: skip.requestedBy,
        requestedAt: skip.requestedAt.toISOString(),
      });
      pending = pending.filter((other) => other !== event);
      failing = null;
      if (pending.length === 0) {
        await this.moveCheckpoint(batch[batch.length - 1].position);
        return;
      }
    }
  }

  /**
   * Waits out the backoff before retrying `event`, looking meanwhile (first, every `skipCheckMs`,
   * and last, right before the retry) for an operator's request to skip exactly that event.
   * Resolves to the request, or null when the backoff ran out without one.
   */
  private async backoff(delayMs: number, event: RecordedEvent): Promise<SkipRequest | null> {
    const until = Date.now() + delayMs;
    for (;;) {
      const request = await this.deps.checkpoints.skipRequestFor(this.definition.name, event.id).catch(() => null);
      if (request) return request;
      const left = until - Date.now();
      if (left <= 0) return null;
      await this.sleep(Math.min(left, this.deps.skipCheckMs));
    }
  }

  /** One try at `events`: grouped by key, groups run `concurrency` at a time, a group stops at its first failure. */
  private async pass(events: readonly RecordedEvent[]): Promise<Pass> {
    if (this.definition.handler.handleAll) return this.passWhole(events);
    const handled = events.map(() => false);
    let failure: Pass['failure'] = null;
    const fail = (index: number, error: unknown) => {
      if (!failure || index < failure.index) failure = { index, error: error instanceof Error ? error : new Error(String(error)) };
    };
    const groups = new Map<string, number[]>();
    // One at a time: the whole batch in log order, whatever the keys.
    if (this.deps.concurrency === 1) groups.set('', events.map((_, index) => index));
    for (let index = 0; index < events.length && this.deps.concurrency > 1; index++) {
      let key: string;
      try {
        key = this.definition.keyOf ? this.definition.keyOf(events[index]) : events[index].streamName;
      } catch (error) {
        // Its key is unknown, so it and everything after it wait: nothing may overtake it.
        fail(index, error);
        break;
      }
      const group = groups.get(key);
      if (group) group.push(index);
      else groups.set(key, [index]);
    }
    const queue = [...groups.values()];
    const lane = async () => {
      for (let group = queue.shift(); group && !this.stopping; group = queue.shift()) {
        for (const index of group) {
          if (this.stopping) break;
          const event = events[index];
          try {
            const context = causedBy(event, this.definition.name, events[events.length - 1].position);
            await runWithContext(context, () => this.definition.handler.handle(event));
            handled[index] = true;
            this.noteWrites(context.writes!);
          } catch (error) {
            fail(index, error);
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency, queue.length) }, lane));
    return { handled, failure };
  }

  /** One try at `events` with the handler's `handleAll`: every event handled, or none (the first is the one that failed). */
  private async passWhole(events: readonly RecordedEvent[]): Promise<Pass> {
    if (this.stopping) return { handled: events.map(() => false), failure: null };
    const last = events[events.length - 1];
    const context = causedBy(last, this.definition.name, last.position);
    try {
      await runWithContext(context, () => this.definition.handler.handleAll!(events));
      this.noteWrites(context.writes!);
      return { handled: events.map(() => true), failure: null };
    } catch (error) {
      return { handled: events.map(() => false), failure: { index: 0, error: error instanceof Error ? error : new Error(String(error)) } };
    }
  }

  /**
   * Moves the checkpoint with what the reactions wrote so far. Writes of events handled past the
   * checkpoint (other keys, before a failure) count too: the mark may run ahead, never behind.
   */
  private moveCheckpoint(to: Position): Promise<void> {
    return this.deps.checkpoints.moveCheckpoint(this.definition.name, to, this.deps.lease, this.writtenUpTo);
  }

  private noteWrites({ upTo, types }: ReactionWrites): void {
    if (upTo !== null && (this.writtenUpTo === null || upTo > this.writtenUpTo)) this.writtenUpTo = upTo;
    const emits = this.definition.emits ?? [];
    for (const type of types) {
      if (emits.includes(type) || this.undeclared.has(type)) continue;
      this.undeclared.add(type);
      this.deps.log?.('error', 'process manager wrote an event type its emits does not list; read-your-writes does not wait for it', {
        processManager: this.definition.name,
        eventType: type,
      });
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
function causedBy(event: RecordedEvent, reaction: string, deliveredUpTo: string): RequestContext {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return newContext({
    correlationId: text(event.metadata.correlationId),
    causationId: event.id,
    userId: text(event.metadata.userId),
    traceKey: text(event.metadata.traceKey),
    writes: { upTo: null, types: new Set() },
    reaction,
    deliveredUpTo,
  });
}
