import { defineRowProjection } from '@app/core';
import type { TaskEvent } from '@app/tasks/contract';

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
 * A row projection: a batch of events costs a few round trips, not one per event (rebuilds, bursts).
 * Read through `taskBoardQueries`.
 */
export const taskBoardProjection = defineRowProjection<TaskRow, TaskEvent, 'task_board'>({
  name: 'task_board',
  version: 1,
  table: 'task_board',
  columns: (t) => {
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
  key: 'task_id',
  keyOf: (event) => event.data.taskId,
  evolve: {
    TaskCreated: (row, { data: { taskId, title, jiraId, description, createdAt }, position }) => {
      // A task is created once per stream; a second row for it means the log is not what it should be.
      if (row) throw new Error(`Task ${taskId} is already on the board`);
      return {
        task_id: taskId,
        title,
        jira_id: jiraId,
        description,
        status: 'open',
        assignee_id: null,
        created_at: new Date(createdAt),
        completed_at: null,
        created_position: position,
      };
    },
    TaskAssigned: (row, { data: { assigneeId } }) => (row ? { ...row, assignee_id: assigneeId } : null),
    TaskCompleted: (row, { data: { completedAt } }) => (row ? { ...row, status: 'completed', completed_at: new Date(completedAt) } : null),
  },
});
