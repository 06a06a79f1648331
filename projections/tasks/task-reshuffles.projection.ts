import { defineProjection } from '@app/core';
import type { TaskReshuffleFinished, TaskReshuffleStarted } from '@app/tasks/domain/reshuffle.events';

export const TASK_RESHUFFLES_PROJECTION = 'task_reshuffles';

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
 */
export const taskReshufflesProjection = defineProjection({
  name: TASK_RESHUFFLES_PROJECTION,
  version: 2,
  tables: {
    task_reshuffles: (t) => {
      t.uuid('reshuffle_id').primary();
      t.text('stream_name').notNullable();
      t.timestamp('started_at', { useTz: true }).notNullable();
      t.text('started_position').notNullable();
      t.timestamp('finished_at', { useTz: true });
      t.index(['finished_at', 'started_at']);
    },
  },
  handlers: {
    TaskReshuffleStarted: async (event, { table }) => {
      const { reshuffleId, startedAt } = event.data as TaskReshuffleStarted['data'];
      await table('task_reshuffles').insert({ reshuffle_id: reshuffleId, stream_name: event.streamName, started_at: startedAt, started_position: event.position });
    },
    TaskReshuffleFinished: async (event, { table }) => {
      const { reshuffleId, finishedAt } = event.data as TaskReshuffleFinished['data'];
      await table('task_reshuffles').where({ reshuffle_id: reshuffleId }).update({ finished_at: finishedAt });
    },
  },
});
