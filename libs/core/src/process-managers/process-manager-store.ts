import type { Knex } from 'knex';
import type { EventStore, Position } from '@app/eventstore';
import { defineError } from '../errors/domain-error';
import { type Lease, updateOneUnderLease } from '../leases/lease';
import { hasEveryEventOf } from '../projections/idle-reader';

export interface ProcessManagerCheckpointRow {
  name: string;
  position: string | null;
  /** The highest position its reactions to the events up to `position` wrote (or found written). */
  written_position: string | null;
  attempts: number;
  last_error: string | null;
  /** The event it is failing on (handling it threw): set with `attempts`, cleared once the checkpoint passes it. */
  failing_event_id: string | null;
  failing_event_type: string | null;
  failing_position: string | null;
  /** An operator's request to move past the failing event: honoured only while it is still the one failing. */
  skip_event_id: string | null;
  skip_requested_by: string | null;
  skip_requested_at: Date | null;
  updated_at: Date;
}

/** The event a process manager is failing on, as its runner recorded it. */
export interface FailingEvent {
  eventId: string;
  type: string;
  position: Position;
}

/** An operator's request to skip one event, as the runner reads it before a retry. */
export interface SkipRequest {
  eventId: string;
  requestedBy: string | null;
  requestedAt: Date;
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
    // The failure (and a skip asked for it) stays shown until the checkpoint passes the failing
    // event: moving up to an event before it, as a batch with a failure does, is not getting past it.
    const passedIt = 'failing_position is null or failing_position collate "C" <= ?';
    const passed = (column: string) => this.knex.raw(`case when ${passedIt} then null else ?? end`, [to, column]);
    const query = this.knex('process_manager_checkpoints')
      .where({ name })
      .update({
        position: to,
        written_position: writtenUpTo,
        attempts: this.knex.raw(`case when ${passedIt} then 0 else attempts end`, [to]),
        last_error: passed('last_error'),
        failing_event_id: passed('failing_event_id'),
        failing_event_type: passed('failing_event_type'),
        failing_position: passed('failing_position'),
        skip_event_id: passed('skip_event_id'),
        skip_requested_by: passed('skip_requested_by'),
        skip_requested_at: passed('skip_requested_at'),
        updated_at: this.knex.fn.now(),
      });
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

  /** Records the event it failed on, how many times in a row, and why; a skip asked for another event lapses. */
  async recordFailure(name: string, attempts: number, error: string, event: FailingEvent): Promise<void> {
    const sameEvent = (column: string) => this.knex.raw(`case when skip_event_id = ? then ?? else null end`, [event.eventId, column]);
    await this.knex('process_manager_checkpoints')
      .where({ name })
      .update({
        attempts,
        last_error: error,
        failing_event_id: event.eventId,
        failing_event_type: event.type,
        failing_position: event.position,
        skip_event_id: sameEvent('skip_event_id'),
        skip_requested_by: sameEvent('skip_requested_by'),
        skip_requested_at: sameEvent('skip_requested_at'),
        updated_at: this.knex.fn.now(),
      });
  }

  /**
   * Asks the runner of `name` to move past the event it is failing on. Takes effect in whichever
   * process runs it, at its next retry, and only if that is still the failing event. Resolves to
   * the event, or throws ProcessManagerNotFailingError when it is not failing on any (unknown names
   * too: the caller checks the name against the process managers it knows).
   */
  async requestSkip(name: string, requestedBy: string | null): Promise<FailingEvent> {
    const [row] = await this.knex<ProcessManagerCheckpointRow>('process_manager_checkpoints')
      .where({ name })
      .whereNotNull('failing_event_id')
      .andWhere('attempts', '>', 0)
      .update({ skip_event_id: this.knex.ref('failing_event_id'), skip_requested_by: requestedBy, skip_requested_at: this.knex.fn.now() })
      .returning(['failing_event_id', 'failing_event_type', 'failing_position']);
    if (!row) throw new ProcessManagerNotFailingError(name);
    return { eventId: row.failing_event_id!, type: row.failing_event_type!, position: row.failing_position! };
  }

  /** The skip asked for `eventId`, if one is (read by the runner before each retry of it). */
  async skipRequestFor(name: string, eventId: string): Promise<SkipRequest | null> {
    const row = await this.knex<ProcessManagerCheckpointRow>('process_manager_checkpoints')
      .where({ name, skip_event_id: eventId })
      .first('skip_event_id', 'skip_requested_by', 'skip_requested_at');
    return row ? { eventId, requestedBy: row.skip_requested_by, requestedAt: row.skip_requested_at! } : null;
  }

  /** Sets where a process manager resumes (an operator's decision, or a test's); takes effect on its next start. */
  async resetCheckpoint(name: string, position: Position | null): Promise<void> {
    await this.knex('process_manager_checkpoints')
      .where({ name })
      .update({
        position,
        attempts: 0,
        last_error: null,
        failing_event_id: null,
        failing_event_type: null,
        failing_position: null,
        skip_event_id: null,
        skip_requested_by: null,
        skip_requested_at: null,
        updated_at: this.knex.fn.now(),
      });
  }

  /**
   * The waiting contract of `ConsistencyWaiter.waitFor`: resolves once the process manager has
   * handled everything up to `position`; rejects with ProcessManagerLaggingError after `timeoutMs`,
   * or with the abort reason once `signal` aborts. With `idle` (the log and the process manager's
   * event types) it also resolves once the process manager has every event of its types, though
   * its checkpoint has not yet moved past the events of other types up to `position` (an idle one
   * moves it only now and then).
   */
  async waitFor(
    name: string,
    position: Position,
    timeoutMs: number,
    signal?: AbortSignal,
    { pollMs = 10, idle }: { pollMs?: number; idle?: { log: Pick<EventStore, 'headPosition'>; eventTypes: readonly string[] } } = {},
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      const row = await this.checkpoint(name);
      if (row?.position && row.position >= position) return;
      // Asked after `position` was written, so an event of its types up to there would be found;
      // a position past the log's head is not written yet.
      if (row && idle) {
        const [hasAll, head] = await Promise.all([hasEveryEventOf(idle.log, idle.eventTypes, row.position), idle.log.headPosition()]);
        if (hasAll && head !== null && head >= position) return;
      }
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

/** A skip asked of a process manager that is not failing on an event: there is nothing to skip. */
export class ProcessManagerNotFailingError extends defineError({
  code: 'PROCESS_MANAGER_NOT_FAILING',
  status: 409,
  meaning: 'A skip was asked of a process manager that is not failing on an event: there is nothing to skip',
}) {
  override readonly name = 'ProcessManagerNotFailingError';

  constructor(processManager: string) {
    super(`Process manager ${processManager} is not failing on an event: there is nothing to skip`, { processManager });
  }
}
