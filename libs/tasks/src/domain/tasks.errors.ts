import { type DomainError, defineError } from '@app/core/domain';
import type { TaskReshuffleStarted } from '../contract/reshuffle.events';

export class NoWorkers extends defineError({ code: 'NO_WORKERS', status: 422, meaning: 'Nobody has role worker, so there is nobody to assign a task to' }) {
  override readonly name = 'NoWorkers';

  constructor() {
    super('Nobody has role worker, so there is nobody to assign the task to');
  }
}

export class NotAssignee extends defineError({ code: 'NOT_ASSIGNEE', status: 403, meaning: 'Only the task’s assignee may complete it' }) {
  override readonly name = 'NotAssignee';

  constructor(taskId: string) {
    super('Only the assignee completes a task', { taskId });
  }
}

export class TaskAlreadyCompleted extends defineError({ code: 'TASK_ALREADY_COMPLETED', status: 409, meaning: 'The task is already completed' }) {
  override readonly name = 'TaskAlreadyCompleted';

  constructor(taskId: string) {
    super('The task is already completed', { taskId });
  }
}

export class TaskAlreadyExists extends defineError({ code: 'TASK_ALREADY_EXISTS', status: 409, meaning: 'A task with this id already exists' }) {
  override readonly name = 'TaskAlreadyExists';

  constructor(taskId: string) {
    super(`Task ${taskId} already exists`, { taskId });
  }
}

/** A reshuffle is running (started, not finished): a second one would reassign every task again. */
export class ReshuffleInProgress extends defineError({
  code: 'RESHUFFLE_IN_PROGRESS',
  status: 409,
  meaning: 'A reshuffle is already running; nothing was done, try again once it has finished',
}) {
  override readonly name = 'ReshuffleInProgress';

  constructor(running: TaskReshuffleStarted['data']) {
    super('A reshuffle is already running and gives every open task a new worker; nothing was done, try again once it has finished', {
      reshuffleId: running.reshuffleId,
      startedAt: running.startedAt,
    });
  }
}

/** The reshuffle's start is recorded, so it will be finished, but this run stopped before the end. */
export class ReshuffleUnfinished extends defineError({
  code: 'RESHUFFLE_UNFINISHED',
  status: 503,
  meaning: 'The reshuffle started but stopped part-way; the worker finishes it shortly',
}) {
  override readonly name = 'ReshuffleUnfinished';

  constructor(reshuffleId: string, cause: DomainError) {
    super('The reshuffle started but stopped part-way; the worker finishes it shortly, reassigning each open task once', { reshuffleId, reason: cause.code });
  }
}
