import { defineQueries } from '@app/core';
import { type ReshuffleRow, taskReshufflesProjection } from './task-reshuffles.projection';

export type { ReshuffleRow };

/** The reshuffles, and whether each has finished. */
export const taskReshufflesQueries = defineQueries(taskReshufflesProjection, ({ table }) => ({
  /** Reshuffles started before `startedBefore` and not finished, oldest first. */
  unfinishedBefore: (startedBefore: Date): Promise<ReshuffleRow[]> =>
    table<ReshuffleRow>('task_reshuffles').whereNull('finished_at').where('started_at', '<', startedBefore).orderBy('started_position'),
}));
