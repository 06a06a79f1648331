import { assertNever, type Decider, NotFoundError } from '@app/core/domain';
import { NotAssignee, TaskAlreadyCompleted, TaskAlreadyExists } from './tasks.errors';
import type { TaskEvent } from '../contract/task.events';

/** The assignee, chosen at random among workers by the handler, comes with the command. */
export type CreateTask = {
  type: 'CreateTask';
  data: { taskId: string; title: string; jiraId: string | null; description: string; assigneeId: string; createdAt: string };
};

/** One task's part in a reshuffle; `reshuffleId` makes it happen at most once per reshuffle. */
export type ReassignTask = { type: 'ReassignTask'; data: { taskId: string; assigneeId: string; reshuffleId: string; assignedAt: string } };

export type CompleteTask = { type: 'CompleteTask'; data: { taskId: string; userId: string; completedAt: string } };

export type TaskCommand = CreateTask | ReassignTask | CompleteTask;

export type TaskState =
  | { status: 'none' }
  | { status: 'open'; assigneeId: string | null; lastReshuffleId: string | null }
  | { status: 'completed'; assigneeId: string | null };

/** One task, in stream `task-<taskId>`. */
export const taskDecider: Decider<TaskCommand, TaskEvent, TaskState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'CreateTask': {
        if (state.status !== 'none') throw new TaskAlreadyExists(command.data.taskId);
        const { taskId, title, jiraId, description, assigneeId, createdAt } = command.data;
        return [
          { type: 'TaskCreated', data: { taskId, title, jiraId, description, createdAt } },
          { type: 'TaskAssigned', data: { taskId, assigneeId, previousAssigneeId: null, reshuffleId: null, assignedAt: createdAt } },
        ];
      }
      case 'ReassignTask': {
        if (state.status === 'none') throw new NotFoundError('Task', command.data.taskId);
        // A completed task keeps its assignee; a task this reshuffle already reached is left alone.
        if (state.status === 'completed' || state.lastReshuffleId === command.data.reshuffleId) return [];
        return [{ type: 'TaskAssigned', data: { ...command.data, previousAssigneeId: state.assigneeId } }];
      }
      case 'CompleteTask': {
        const { taskId, userId, completedAt } = command.data;
        if (state.status === 'none') throw new NotFoundError('Task', taskId);
        if (state.assigneeId !== userId) throw new NotAssignee(taskId);
        if (state.status === 'completed') throw new TaskAlreadyCompleted(taskId);
        return [{ type: 'TaskCompleted', data: { taskId, completedBy: userId, completedAt } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'TaskCreated':
        return { status: 'open', assigneeId: null, lastReshuffleId: null };
      case 'TaskAssigned':
        return state.status === 'open' ? { ...state, assigneeId: event.data.assigneeId, lastReshuffleId: event.data.reshuffleId } : state;
      case 'TaskCompleted':
        return { status: 'completed', assigneeId: event.data.completedBy };
      default:
        return assertNever(event);
    }
  },
};

export function taskStream(taskId: string): string {
  return `task-${taskId}`;
}
