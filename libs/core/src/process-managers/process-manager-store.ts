import type { Knex } from 'knex';
import type { Position } from '@app/eventstore';
import { type Lease, updateOneUnderLease } from '../leases/lease';

export interface ProcessManagerCheckpointRow {
  name: string;
  position: string | null;
  /** The highest position its reactions to the events up to `position` wrote (or found written). */
  written_position: string | null;
  attempts: number;
  last_error: string | null;
  updated_at: Date;
}

/** First half of every process-manager lease's advisory-lock key; the second is hashtext(name). */
export const PROCESS_MANAGER_LEASE_CLASS = 7102;

/** The process-manager runtime's checkpoints in PostgreSQL. */
export class ProcessManagerStore {
  constructor(private readonly knex: Knex) {}

  async install(name: string): Promise<void> {
    await this.knex('process_manager_checkpoints').insert({ name }).onConflict('name').ignore();
  }

  async checkpoint(name: string): Promise<ProcessManagerCheckpointRow | undefined> {
    return this.knex<ProcessManagerCheckpointRow>('process_manager_checkpoints').where({ name }).first();
  }

  async checkpoints(): Promise<ProcessManagerCheckpointRow[]> {
    return this.knex<ProcessManagerCheckpointRow>('process_manager_checkpoints').orderBy('name');
  }

  /**
   * Moves the checkpoint, with the highest position written by the reactions so far, but only while
   * this process's lease connection still holds the lease (else LeaseLostError).
   */
  async moveCheckpoint(name: string, to: Position, lease: Lease, writtenUpTo: Position | null = null): Promise<void> {
    const query = this.knex('process_manager_checkpoints')
      .where({ name })
      .update({ position: to, written_position: writtenUpTo, attempts: 0, last_error: null, updated_at: this.knex.fn.now() });
    await updateOneUnderLease(query, lease, `Lease of process manager ${name} lost`);
  }

  /** How far each named process manager has handled the log, and how far its reactions wrote; for read-your-writes. */
  async progress(names: readonly string[]): Promise<Map<string, ProcessManagerProgress>> {
    if (names.length === 0) return new Map();
    const rows = await this.knex<ProcessManagerCheckpointRow>('process_manager_checkpoints')
      .whereIn('name', names)
      .select('name', 'position', 'written_position');
    return new Map(rows.map((row) => [row.name, { position: row.position, writtenUpTo: row.written_position }]));
  }

  async recordFailure(name: string, attempts: number, error: string): Promise<void> {
    await this.knex('process_manager_checkpoints').where({ name }).update({ attempts, last_error: error, updated_at: this.knex.fn.now() });
  }

  /** Sets where a process manager resumes (an operator's decision, or a test's); takes effect on its next start. */
  async resetCheckpoint(name: string, position: Position | null): Promise<void> {
    await this.knex('process_manager_checkpoints').where({ name }).update({ position, attempts: 0, last_error: null, updated_at: this.knex.fn.now() });
  }

  /**
   * The waiting contract of `ConsistencyWaiter.waitFor`: resolves once the process manager has
   * handled everything up to `position`; rejects with ProcessManagerLaggingError after `timeoutMs`,
   * or with the abort reason once `signal` aborts.
   */
  async waitFor(name: string, position: Position, timeoutMs: number, signal?: AbortSignal, pollMs = 10): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      const row = await this.checkpoint(name);
      if (row?.position && row.position >= position) return;
      if (Date.now() >= deadline) throw new ProcessManagerLaggingError(name, position);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

export interface ProcessManagerProgress {
  position: Position | null;
  writtenUpTo: Position | null;
}

/** A process manager did not reach a position in time. */
export class ProcessManagerLaggingError extends Error {
  override readonly name = 'ProcessManagerLaggingError';

  constructor(
    readonly processManager: string,
    readonly position: Position,
  ) {
    super(`Process manager ${processManager} has not reached position ${position} yet`);
  }
}
