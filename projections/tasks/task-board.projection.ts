import { defineProjection } from '@app/core';
import type { TaskAssigned, TaskCompleted, TaskCreated } from '@app/tasks/domain/task.events';

export const TASK_BOARD_PROJECTION = 'task_board';

/** A row of `task_board`. */
export interface TaskRow {
  task_id: string;
  title: string;
  jira_id: string | null;
  description: string;
  status: 'open' | 'completed';
  assignee_id: string | null;
  created_at: Date;
  completed_at: Date | null;
  /** Log position of TaskCreated: the board's stable order, the same after every replay. */
  created_position: string;
}

/**
 * Every task with its status and assignee. One table serves the whole board (filtered by status
 * and assignee, paged by creation) and each worker's own tasks: the two queries read the same
 * rows, so one projection keeps them consistent with each other, and its indexes serve both.
 * TaskCreated arrives upcast to v2, so tasks from before jira ids had their own field look the same.
 */
export const taskBoardProjection = defineProjection({
  name: TASK_BOARD_PROJECTION,
  version: 1,
  tables: {
    task_board: (t) => {
      t.uuid('task_id').primary();
      t.text('title').notNullable();
      t.text('jira_id');
      t.text('description').notNullable();
      t.text('status').notNullable();
      t.uuid('assignee_id');
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('completed_at', { useTz: true });
      t.text('created_position').notNullable().unique();
      t.index(['status', 'created_position']);
      t.index(['assignee_id', 'created_position']);
    },
  },
  handlers: {
    TaskCreated: async (event, { table }) => {
      const { taskId, title, jiraId, description, createdAt } = event.data as TaskCreated['data'];
      await table('task_board').insert({
        task_id: taskId,
        title,
        jira_id: jiraId,
        description,
        status: 'open',
        created_at: createdAt,
        created_position: event.position,
      });
    },
    TaskAssigned: async (event, { table }) => {
      const { taskId, assigneeId } = event.data as TaskAssigned['data'];
      await table('task_board').where({ task_id: taskId }).update({ assignee_id: assigneeId });
    },
    TaskCompleted: async (event, { table }) => {
      const { taskId, completedAt } = event.data as TaskCompleted['data'];
      await table('task_board').where({ task_id: taskId }).update({ status: 'completed', completed_at: completedAt });
    },
  },
});
