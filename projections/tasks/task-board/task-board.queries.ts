import { defineQueries } from '@app/core';
import type { Position } from '@app/eventstore';
import { type TaskRow, taskBoardProjection } from './task-board.projection';

export type { TaskRow };

export interface TaskBoardFilter {
  status?: TaskRow['status'];
  assigneeId?: string;
}

/** The task board: every task with its status and assignee. */
export const taskBoardQueries = defineQueries(taskBoardProjection, ({ table, sql, name }) => ({
  byId: (taskId: string): Promise<TaskRow | undefined> => table<TaskRow>('task_board').where({ task_id: taskId }).first(),

  /**
   * One page of the board, newest first: the rows created before `createdBefore` (a position) that
   * match the filter, at most `limit`, and whether more follow. Keyset paging on the creation
   * position: each page costs the same however deep, and a row never moves between pages. Plain
   * SQL: every task list is this query, and knex's building of it cost more CPU than the query.
   */
  async page(filter: TaskBoardFilter, page: { limit: number; createdBefore?: Position }): Promise<{ rows: TaskRow[]; more: boolean }> {
    const values: unknown[] = [];
    const where: string[] = [];
    if (filter.status) where.push(`status = $${values.push(filter.status)}`);
    if (filter.assigneeId) where.push(`assignee_id = $${values.push(filter.assigneeId)}`);
    if (page.createdBefore !== undefined) where.push(`created_position < $${values.push(page.createdBefore)}`);
    const filtered = where.length > 0 ? ` where ${where.join(' and ')}` : '';
    const rows = await sql<TaskRow>(`select * from ${name('task_board')}${filtered} order by created_position desc limit $${values.push(page.limit + 1)}`, values);
    return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
  },

  /** Every open task's id, oldest first. */
  openTaskIds: (): Promise<string[]> => table<TaskRow>('task_board').where({ status: 'open' }).orderBy('created_position').pluck('task_id'),

  /** Whether any task is open. */
  anyOpen: async (): Promise<boolean> => (await table<TaskRow>('task_board').where({ status: 'open' }).first('task_id')) !== undefined,
}));

/** What `ReadModels.use(taskBoardQueries)` hands out. */
export type TaskBoardQueries = ReturnType<typeof taskBoardQueries.bind>;
