import type { DomainEvent } from '@app/core/domain';

export type TaskCreated = DomainEvent<
  'TaskCreated',
  { taskId: string; title: string; jiraId: string | null; description: string; createdAt: string }
>;

/** The first assignment (with the task) or a reshuffle's: who holds the task now, and who held it. */
export type TaskAssigned = DomainEvent<
  'TaskAssigned',
  { taskId: string; assigneeId: string; previousAssigneeId: string | null; reshuffleId: string | null; assignedAt: string }
>;

export type TaskCompleted = DomainEvent<'TaskCompleted', { taskId: string; completedBy: string; completedAt: string }>;

export type TaskEvent = TaskCreated | TaskAssigned | TaskCompleted;

/** Schema version 1 of TaskCreated: the jira id was written into the title, as in "[POPUG-12] fix login". */
export interface TaskCreatedV1 {
  taskId: string;
  title: string;
  description: string;
  createdAt: string;
}

const JIRA_ID_IN_TITLE = /^\s*\[([^\]]+)\]\s*(.*)$/s;

/** Takes the jira id out of a v1 title; a v1 title without one keeps its text and gets no jira id. */
export function upcastTaskCreatedV1({ taskId, title, description, createdAt }: TaskCreatedV1): TaskCreated['data'] {
  const match = JIRA_ID_IN_TITLE.exec(title);
  return { taskId, title: match ? match[2].trim() : title, jiraId: match ? match[1].trim() : null, description, createdAt };
}

/**
 * Version 2 gave the jira id its own field; stored v1 events are read as v2 and never rewritten.
 * An `EventSchema` (the tasks context registers it; a contract file imports only `@app/core/domain`).
 */
export const taskCreatedSchema = { type: 'TaskCreated', version: 2, upcasters: { 1: upcastTaskCreatedV1 } } as const;
