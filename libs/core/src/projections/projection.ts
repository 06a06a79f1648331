import type { Knex } from 'knex';
import type { RecordedEvent } from '@app/eventstore';
import type { DomainEvent } from '../domain/decider';

/**
 * A domain event as the log hands it over: one member of the union E, with the event's id,
 * stream, position and metadata. Distributes over the union, so `switch (event.type)` narrows
 * `event.data`.
 */
export type Recorded<E extends DomainEvent> = E extends DomainEvent<infer Type, infer Data> ? RecordedEvent<Type, Data> : never;

/** What an apply function writes through: the batch's transaction and this generation's tables. */
export interface ProjectionContext<Table extends string = string> {
  trx: Knex.Transaction;
  /** A query builder on one of the projection's tables, in the generation being written. */
  table(name: Table): Knex.QueryBuilder;
  /** The physical name of one of the projection's tables in the generation being written. */
  tableName(name: Table): string;
}

/** Applies a batch of events, in log order and all of the handled types, in one transaction. */
export type BatchApply<E extends DomainEvent, Table extends string> = (events: readonly Recorded<E>[], context: ProjectionContext<Table>) => Promise<void>;

/**
 * A read model: its tables, the event types it reads, and one function that applies a batch of
 * them. `tables` declares each table's columns; the runtime creates them once per generation and
 * serves the current generation under the table's own name. Bump `version` when `apply` or the
 * tables change: the runtime then rebuilds into fresh tables while the old ones keep answering,
 * and swaps once the new ones have caught up. `apply` must be deterministic (no clock, no
 * randomness, only the events), and applying a batch must have the same effect as applying its
 * events one batch each: a failing batch is retried event by event.
 *
 * Write one with `defineRowProjection` (a per-event `evolve` of rows) or `defineProjection` (a
 * typed batch `apply`, for set-based SQL).
 */
export interface ProjectionDefinition<E extends DomainEvent = DomainEvent, Table extends string = string> {
  readonly name: string;
  readonly version: number;
  readonly tables: Readonly<Record<Table, (table: Knex.CreateTableBuilder) => void>>;
  /** The event types read; no other reaches `apply`. */
  readonly eventTypes: readonly E['type'][];
  /**
   * Most events applied as one batch, instead of PROJECTION_BATCH_SIZE: for a projection whose
   * batch costs about the same however many events it holds, so larger batches catch up faster.
   */
  readonly batchSize?: number;
  /** Declared as a method, so a projection of particular events is still a `ProjectionDefinition`. */
  apply(events: readonly Recorded<E>[], context: ProjectionContext<Table>): Promise<void>;
}

/**
 * A projection of the events E, written as a batch `apply` (set-based SQL: sums per key, one
 * multi-row upsert). E is the union of the contract events it reads, so `eventTypes` cannot name
 * an event that does not exist, and `apply` switches on `event.type` with typed data.
 */
export function defineProjection<E extends DomainEvent, Table extends string = string>(definition: {
  name: string;
  version: number;
  tables: Record<Table, (table: Knex.CreateTableBuilder) => void>;
  eventTypes: readonly E['type'][];
  batchSize?: number;
  apply: BatchApply<E, Table>;
}): ProjectionDefinition<E, Table> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) throw new Error(`Projection name "${definition.name}" must be snake_case`);
  for (const table of Object.keys(definition.tables)) {
    if (!/^[a-z][a-z0-9_]*$/.test(table)) throw new Error(`Table name "${table}" must be snake_case`);
  }
  if (definition.eventTypes.length === 0) throw new Error(`Projection ${definition.name} reads no event type`);
  if (definition.batchSize !== undefined && !(Number.isSafeInteger(definition.batchSize) && definition.batchSize > 0)) {
    throw new Error(`Projection ${definition.name}: batchSize must be a positive whole number`);
  }
  return definition;
}

export function physicalTable(table: string, generation: number): string {
  return `${table}__g${generation}`;
}

export type ProjectionStatus = 'running' | 'catching_up' | 'rebuilding' | 'halted';

/** Injection token: every projection the platform runs. */
export const PROJECTIONS = Symbol('PROJECTIONS');
