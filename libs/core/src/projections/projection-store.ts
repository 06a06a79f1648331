import type { Knex } from 'knex';
import type { Position } from '@app/eventstore';
import { defineError } from '../errors/domain-error';
import { type Lease, updateOneUnderLease } from '../leases/lease';
import { type ProjectionDefinition, physicalTable } from './projection';

export interface ProjectionStateRow {
  name: string;
  active_generation: number;
  active_version: number;
  building_generation: number | null;
  building_version: number | null;
  next_generation: number;
  halted: boolean;
  last_error: string | null;
  halted_position: string | null;
  halted_generation: number | null;
}

export interface CheckpointRow {
  name: string;
  generation: number;
  position: string | null;
  caught_up: boolean;
  last_event_at: Date | null;
}

export class UnknownProjectionError extends Error {
  override readonly name = 'UnknownProjectionError';

  constructor(readonly projection: string) {
    super(`There is no projection named "${projection}"`);
  }
}

/** Retry asked of a projection that is not halted: there is nothing to resume. */
export class ProjectionNotHaltedError extends defineError({
  code: 'PROJECTION_NOT_HALTED',
  status: 409,
  meaning: 'A retry was asked of a projection that is not halted: there is nothing to resume',
}) {
  override readonly name = 'ProjectionNotHaltedError';

  constructor(projection: string) {
    super(`Projection ${projection} is not halted: there is nothing to retry`, { projection });
  }
}

/** The runtime's bookkeeping in PostgreSQL: generations, checkpoints, halts, and the view swap. */
export class ProjectionStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Makes sure a projection's tables and state exist, and starts a rebuild when the code's version
   * differs from the one the serving tables were built with. Safe to call from every process.
   */
  async install(definition: ProjectionDefinition): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(7100, hashtext(?))', [definition.name]);
      const state = await this.lockState(trx, definition.name);
      if (!state) {
        await this.createGeneration(trx, definition, 1);
        await this.pointViews(trx, definition, 1);
        await trx('projection_state').insert({
          name: definition.name,
          active_generation: 1,
          active_version: definition.version,
          next_generation: 2,
        });
        await trx('projection_checkpoints').insert({ name: definition.name, generation: 1 });
        return;
      }
      const current = state.building_generation !== null ? state.building_version : state.active_version;
      if (current !== definition.version) await this.beginRebuild(trx, definition, state);
    });
  }

  /** Starts building a fresh generation from the start of the log; the serving one stays as it is. */
  async requestRebuild(definition: ProjectionDefinition): Promise<number> {
    return this.knex.transaction(async (trx) => {
      const state = await this.lockState(trx, definition.name);
      if (!state) throw new UnknownProjectionError(definition.name);
      return this.beginRebuild(trx, definition, state);
    });
  }

  /**
   * Points the views at the built generation, in one transaction, so queries move from the old
   * tables to the new ones at once. Returns the old generation, whose tables the caller drops.
   */
  async swap(definition: ProjectionDefinition, generation: number): Promise<number | null> {
    return this.knex.transaction(async (trx) => {
      const state = await this.lockState(trx, definition.name);
      if (!state || state.building_generation !== generation) return null;
      await this.pointViews(trx, definition, generation);
      await trx('projection_state').where({ name: definition.name }).update({
        active_generation: generation,
        active_version: state.building_version,
        building_generation: null,
        building_version: null,
        updated_at: trx.fn.now(),
      });
      await trx('projection_checkpoints').where({ name: definition.name, generation: state.active_generation }).delete();
      return state.active_generation;
    });
  }

  async dropGeneration(definition: ProjectionDefinition, generation: number): Promise<void> {
    for (const table of Object.keys(definition.tables)) {
      await this.knex.schema.dropTableIfExists(physicalTable(table, generation));
    }
  }

  /**
   * Drops the tables of generations that are neither serving nor building (retired by a newer
   * rebuild), once their tracks have stopped. Generations made after the state was read are kept.
   */
  async dropRetiredGenerations(definition: ProjectionDefinition): Promise<void> {
    const state = await this.state(definition.name);
    if (!state) return;
    const keep = (generation: number) =>
      generation === state.active_generation || generation === state.building_generation || generation >= state.next_generation;
    for (const table of Object.keys(definition.tables)) {
      const names = await this.knex('pg_tables')
        .whereRaw('schemaname = current_schema()')
        .andWhere('tablename', 'like', `${table}__g%`)
        .pluck<string[]>('tablename');
      for (const name of names) {
        const generation = Number(name.slice(table.length + 3));
        if (Number.isInteger(generation) && name === physicalTable(table, generation) && !keep(generation)) {
          await this.knex.schema.dropTableIfExists(name);
        }
      }
    }
  }

  async state(name: string): Promise<ProjectionStateRow | undefined> {
    return this.knex<ProjectionStateRow>('projection_state').where({ name }).first();
  }

  async states(): Promise<ProjectionStateRow[]> {
    return this.knex<ProjectionStateRow>('projection_state').orderBy('name');
  }

  async checkpoints(): Promise<CheckpointRow[]> {
    return this.knex<CheckpointRow>('projection_checkpoints');
  }

  async checkpoint(name: string, generation: number): Promise<CheckpointRow | undefined> {
    return this.knex<CheckpointRow>('projection_checkpoints').where({ name, generation }).first();
  }

  /** Positions the serving generation of each named projection has processed. */
  async servingPositions(names: readonly string[]): Promise<Map<string, string | null>> {
    const rows = await this.knex('projection_state as s')
      .join('projection_checkpoints as c', function () {
        this.on('c.name', 's.name').andOn('c.generation', 's.active_generation');
      })
      .whereIn('s.name', names)
      .select<{ name: string; position: string | null }[]>('s.name', 'c.position');
    return new Map(rows.map((r) => [r.name, r.position]));
  }

  /**
   * Moves a checkpoint inside the batch's transaction, only from where the batch started and, with
   * a lease, only while this process holds it: otherwise the batch is not ours to commit
   * (LeaseLostError).
   */
  async moveCheckpoint(
    trx: Knex.Transaction | Knex,
    name: string,
    generation: number,
    from: Position | null,
    to: Position,
    lastEventAt: Date | null,
    lease?: Lease,
  ): Promise<void> {
    const query = trx('projection_checkpoints')
      .where({ name, generation })
      .andWhere((q) => (from === null ? q.whereNull('position') : q.where('position', from)))
      .update({ position: to, updated_at: trx.fn.now(), ...(lastEventAt ? { last_event_at: lastEventAt } : {}) });
    await updateOneUnderLease(query, lease, `Checkpoint of ${name} (generation ${generation}) moved or lease lost`);
  }

  async setCaughtUp(name: string, generation: number, caughtUp: boolean): Promise<void> {
    await this.knex('projection_checkpoints').where({ name, generation }).update({ caught_up: caughtUp });
  }

  async halt(name: string, generation: number, position: Position, error: string): Promise<void> {
    await this.knex('projection_state').where({ name }).update({
      halted: true,
      halted_position: position,
      halted_generation: generation,
      last_error: error,
      updated_at: this.knex.fn.now(),
    });
  }

  /** Resumes a halted projection: it retries the event it halted on. */
  async resume(name: string): Promise<void> {
    const updated = await this.knex('projection_state').where({ name, halted: true }).update(RESUMED(this.knex));
    if (updated > 0) return;
    if (!(await this.state(name))) throw new UnknownProjectionError(name);
    throw new ProjectionNotHaltedError(name);
  }

  /**
   * Resumes a halted projection past the event it halted on, which it then never applies: an
   * operator's explicit decision, for an event that can never be applied. Returns that position.
   */
  async skip(name: string): Promise<Position> {
    return this.knex.transaction(async (trx) => {
      const state = await this.lockState(trx, name);
      if (!state) throw new UnknownProjectionError(name);
      if (!state.halted || !state.halted_position || state.halted_generation === null) {
        throw new Error(`Projection ${name} is not halted: there is nothing to skip`);
      }
      await trx('projection_checkpoints')
        .where({ name, generation: state.halted_generation })
        .update({ position: state.halted_position, updated_at: trx.fn.now() });
      await trx('projection_state').where({ name }).update(RESUMED(trx));
      return state.halted_position;
    });
  }

  private async lockState(trx: Knex.Transaction, name: string): Promise<ProjectionStateRow | undefined> {
    return trx<ProjectionStateRow>('projection_state').where({ name }).forUpdate().first();
  }

  /**
   * A rebuild under way is retired by deleting its checkpoint: its track's next commit finds no
   * checkpoint to move and ends. Its tables are dropped later (`dropRetiredGenerations`), not here,
   * where dropping them would deadlock with that track's transaction holding one of them.
   */
  private async beginRebuild(trx: Knex.Transaction, definition: ProjectionDefinition, state: ProjectionStateRow): Promise<number> {
    if (state.building_generation !== null) {
      await trx('projection_checkpoints').where({ name: definition.name, generation: state.building_generation }).delete();
    }
    const generation = state.next_generation;
    await this.createGeneration(trx, definition, generation);
    await trx('projection_state').where({ name: definition.name }).update({
      building_generation: generation,
      building_version: definition.version,
      next_generation: generation + 1,
      updated_at: trx.fn.now(),
    });
    await trx('projection_checkpoints').insert({ name: definition.name, generation });
    return generation;
  }

  private async createGeneration(trx: Knex.Transaction, definition: ProjectionDefinition, generation: number): Promise<void> {
    for (const [table, columns] of Object.entries(definition.tables)) {
      await trx.schema.createTable(physicalTable(table, generation), columns);
    }
  }

  private async pointViews(trx: Knex.Transaction, definition: ProjectionDefinition, generation: number): Promise<void> {
    for (const table of Object.keys(definition.tables)) {
      await trx.raw('drop view if exists ??', [table]);
      await trx.raw('create view ?? as select * from ??', [table, physicalTable(table, generation)]);
    }
  }
}

const RESUMED = (knex: Knex) => ({
  halted: false,
  last_error: null,
  halted_position: null,
  halted_generation: null,
  updated_at: knex.fn.now(),
});

/** First half of every projection lease's advisory-lock key; the second is hashtext(name). */
export const LEASE_CLASS = 7101;
