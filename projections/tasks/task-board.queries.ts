import type { Knex } from 'knex';
import type { Position } from '@app/eventstore';
import type { TaskRow } from './task-board.projection';

export interface TaskBoardFilter {
  status?: TaskRow['status'];
  assigneeId?: string;
}

/**
 * One page of the board, newest first: the rows created before `createdBefore` (a position) that
 * match the filter, at most `limit`, and whether more follow. Keyset paging on the creation
 * position: each page costs the same however deep, and a row never moves between pages.
 */
export async function taskBoardPage(
  knex: Knex,
  filter: TaskBoardFilter,
  page: { limit: number; createdBefore?: Position },
): Promise<{ rows: TaskRow[]; more: boolean }> {
  const query = knex<TaskRow>('task_board');
  if (filter.status) query.where({ status: filter.status });
  if (filter.assigneeId) query.where({ assignee_id: filter.assigneeId });
  if (page.createdBefore !== undefined) query.where('created_position', '<', page.createdBefore);
  const rows = await query.orderBy('created_position', 'desc').limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
}

/** Every open task's id, oldest first. */
export function openTaskIds(knex: Knex): Promise<string[]> {
  return knex<TaskRow>('task_board').where({ status: 'open' }).orderBy('created_position').pluck('task_id');
}

/** Whether any task is open. */
export async function anyOpenTask(knex: Knex): Promise<boolean> {
  return (await knex<TaskRow>('task_board').where({ status: 'open' }).first('task_id')) !== undefined;
}
