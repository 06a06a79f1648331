import type { TaskRow } from '@app/projections/tasks/task-board/task-board.queries';

/** A task as queries show it. */
export interface TaskView {
  taskId: string;
  title: string;
  jiraId: string | null;
  description: string;
  status: 'open' | 'completed';
  assigneeId: string | null;
  createdAt: string;
  completedAt: string | null;
}

export function toTaskView(row: TaskRow): TaskView {
  return {
    taskId: row.task_id,
    title: row.title,
    jiraId: row.jira_id,
    description: row.description,
    status: row.status,
    assigneeId: row.assignee_id,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

export type TaskStatus = TaskView['status'];

export const TASK_STATUSES: readonly TaskStatus[] = ['open', 'completed'];
