import type { Knex } from 'knex';
import type { ReshuffleRow } from './task-reshuffles.projection';

/** Reshuffles started before `startedBefore` and not finished, oldest first. */
export function unfinishedReshuffles(knex: Knex, startedBefore: Date): Promise<ReshuffleRow[]> {
  return knex<ReshuffleRow>('task_reshuffles').whereNull('finished_at').where('started_at', '<', startedBefore).orderBy('started_position');
}
