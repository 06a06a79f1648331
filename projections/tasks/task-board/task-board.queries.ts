import { defineQueries } from '@app/core';
import type { Position } from '@app/eventstore';
import { type TaskRow, taskBoardProjection } from './task-board.projection';

export type { TaskRow };

export interface TaskBoardFilter {
  status?: TaskRow['status'];
  assigneeId?: string;
}

/** The task board: every task with its status and assignee. */
export const taskBoardQueries = defineQueries(taskBoardProjection, ({ table }) => ({
  byId: (taskId: string): Promise<TaskRow | undefined> => table<TaskRow>('task_board').where({ task_id: taskId }).first(),

  /**
   * One page of the board, newest first: the rows created before `createdBefore` (a position) that
   * match the filter, at most `limit`, and whether more follow. Keyset paging on the creation
   * position: each page costs the same however deep, and a row never moves between pages.
   */
  async page(filter: TaskBoardFilter, page: { limit: number; createdBefore?: Position }): Promise<{ rows: TaskRow[]; more: boolean }> {
    const query = table<TaskRow>('task_board');
    if (filter.status) query.where({ status: filter.status });
    if (filter.assigneeId) query.where({ assignee_id: filter.assigneeId });
    if (page.createdBefore !== undefined) query.where('created_position', '<', page.createdBefore);
    const rows = await query.orderBy('created_position', 'desc').limit(page.limit + 1);
    return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
  },

  /** Every open task's id, oldest first. */
  openTaskIds: (): Promise<string[]> => table<TaskRow>('task_board').where({ status: 'open' }).orderBy('created_position').pluck('task_id'),

  /** Whether any task is open. */
  anyOpen: async (): Promise<boolean> => (await table<TaskRow>('task_board').where({ status: 'open' }).first('task_id')) !== undefined,
}));

/** What `ReadModels.use(taskBoardQueries)` hands out. */
export type TaskBoardQueries = ReturnType<typeof taskBoardQueries.bind>;
