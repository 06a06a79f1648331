import { SetMetadata } from '@nestjs/common';
import type { DomainEvent } from '../domain/decider';
import type { Recorded } from '../projections/projection';

/**
 * A reaction that must happen: it consumes the durable log (never the in-memory event bus) and is
 * told each event at least once. The runtime takes the log in batches and handles the events of
 * different keys (`keyOf`) concurrently, each key's events one at a time in log order. `handle`
 * must therefore be idempotent: issue commands with ids derived from the event
 * (`deterministicId`), so a redelivery writes nothing new. A `handle` that throws is retried with
 * backoff; the checkpoint does not move past an event until it and every event before it has been
 * handled.
 */
export interface ProcessManager<E extends DomainEvent = DomainEvent> {
  /** Given the events of its `eventTypes` only, typed as the union E: `switch (event.type)` narrows the data. */
  handle(event: Recorded<E>): Promise<void>;
  /**
   * Optional, in place of `handle` for each event: a whole batch of its events at once (in log
   * order), for a reaction whose answer to many events is one write (a fact of each, recorded in
   * one append). All or nothing: a batch that throws is retried whole, with backoff, and an
   * operator's skip drops the batch's first event. `keyOf` and the concurrency do not apply.
   */
  handleAll?(events: readonly Recorded<E>[]): Promise<void>;
}

export interface ProcessManagerOptions<E extends DomainEvent = DomainEvent> {
  /** Stable name: the key of its checkpoint and of its lease. */
  name: string;
  /** The event types it reacts to; only those are read. */
  eventTypes: readonly string[];
  /**
   * What its events must stay in order by: events with the same key are handled one after another
   * in log order, events with different keys may be handled concurrently. Default: the event's
   * stream. A key that spans streams (a task's id, a user's) keeps order across them.
   */
  keyOf?(event: Recorded<E>): string;
  /**
   * The event types its commands write. Read-your-writes reaches through it from these: a query
   * with `?after=P` on a read model (or a process manager) that takes one of them waits until this
   * process manager has handled the log up to P and the reader has applied what it wrote. Writing
   * a type not listed here is logged as an error by the runtime.
   */
  emits?: readonly string[];
}

export interface ProcessManagerDefinition extends ProcessManagerOptions {
  handler: ProcessManager;
}

export const PROCESS_MANAGER = Symbol('PROCESS_MANAGER');

/** Marks a provider as a process manager; the worker runs those its context lists in `processManagers`. */
export function AsProcessManager<E extends DomainEvent = DomainEvent>(options: ProcessManagerOptions<E>): ClassDecorator {
  if (!/^[a-z][a-z0-9_-]*$/.test(options.name)) throw new Error(`Process manager name "${options.name}" must be kebab- or snake_case`);
  return SetMetadata(PROCESS_MANAGER, options);
}

/** What `@AsProcessManager` says of a class; throws for a class not marked. */
export function processManagerOptionsOf(type: Function): ProcessManagerOptions {
  const options = Reflect.getMetadata(PROCESS_MANAGER, type) as ProcessManagerOptions | undefined;
  if (!options) throw new Error(`${type.name} is listed as a process manager but is not marked @AsProcessManager`);
  return options;
}
