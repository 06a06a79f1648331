import type { Knex } from 'knex';
import type { RecordedEvent } from '@app/eventstore';

/** What an apply function writes through: the batch's transaction and this generation's tables. */
export interface ProjectionContext {
  trx: Knex.Transaction;
  /** A query builder on one of the projection's tables, in the generation being written. */
  table(name: string): Knex.QueryBuilder;
  /** The physical name of one of the projection's tables in the generation being written. */
  tableName(name: string): string;
}

export type ApplyFunction = (event: RecordedEvent<string, any>, context: ProjectionContext) => Promise<void>;

/** Applies a batch of events (in log order, all of handled types) at once; see defineRowProjection. */
export type BatchApplyFunction = (events: readonly RecordedEvent<string, any>[], context: ProjectionContext) => Promise<void>;

/**
 * A read model. `tables` declares each table's columns; the runtime creates them once per
 * generation. `handlers` has one apply function per event type it handles: only those types are
 * read. Bump `version` when the apply functions or tables change: the runtime then rebuilds into
 * fresh tables while the old ones keep answering, and swaps once the new ones have caught up.
 * Apply functions must be deterministic: no clock, no randomness, only the event.
 */
export interface ProjectionDefinition {
  name: string;
  version: number;
  tables: Record<string, (table: Knex.CreateTableBuilder) => void>;
  handlers: Record<string, ApplyFunction>;
  /**
   * When present, the runtime applies each batch through it instead of calling `handlers` event
   * by event (which still name the types handled, and apply a lone event that is being retried).
   * It must have the same effect as the handlers applied one by one.
   */
  applyBatch?: BatchApplyFunction;
}

export function defineProjection(definition: ProjectionDefinition): ProjectionDefinition {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) throw new Error(`Projection name "${definition.name}" must be snake_case`);
  for (const table of Object.keys(definition.tables)) {
    if (!/^[a-z][a-z0-9_]*$/.test(table)) throw new Error(`Table name "${table}" must be snake_case`);
  }
  return definition;
}

export function physicalTable(table: string, generation: number): string {
  return `${table}__g${generation}`;
}

export type ProjectionStatus = 'running' | 'catching_up' | 'rebuilding' | 'halted';

/** Injection token: every projection the platform runs. */
export const PROJECTIONS = Symbol('PROJECTIONS');
