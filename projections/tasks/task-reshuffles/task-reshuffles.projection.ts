import { defineRowProjection } from '@app/core';
import type { ReshuffleEvent } from '@app/tasks/contract';

/** A row of `task_reshuffles`. */
export interface ReshuffleRow {
  reshuffle_id: string;
  /** The stream the reshuffle is recorded in, where it is finished: `reshuffles`, or its own for the older ones. */
  stream_name: string;
  started_at: Date;
  /** Log position of TaskReshuffleStarted: the read models must reach it before the reshuffle reads them. */
  started_position: string;
  finished_at: Date | null;
}

/**
 * Reshuffles and whether they finished: the unfinished ones are the work the resumer picks up.
 * Version 2 records each reshuffle's stream, since reshuffles moved to the one `reshuffles` stream.
 * Read through `taskReshufflesQueries`.
 */
export const taskReshufflesProjection = defineRowProjection<ReshuffleRow, ReshuffleEvent, 'task_reshuffles'>({
  name: 'task_reshuffles',
  version: 2,
  table: 'task_reshuffles',
  columns: (t) => {
    t.uuid('reshuffle_id').primary();
    t.text('stream_name').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.text('started_position').notNullable();
    t.timestamp('finished_at', { useTz: true });
    t.index(['finished_at', 'started_at']);
  },
  key: 'reshuffle_id',
  keyOf: (event) => event.data.reshuffleId,
  evolve: {
    TaskReshuffleStarted: (row, { data: { reshuffleId, startedAt }, streamName, position }) => {
      // A reshuffle starts once; a second start of it means the log is not what it should be.
      if (row) throw new Error(`Reshuffle ${reshuffleId} has already started`);
      return { reshuffle_id: reshuffleId, stream_name: streamName, started_at: new Date(startedAt), started_position: position, finished_at: null };
    },
    // A finish of a reshuffle never started here changes nothing.
    TaskReshuffleFinished: (row, { data: { finishedAt } }) => (row ? { ...row, finished_at: new Date(finishedAt) } : null),
  },
});
