import { DomainError } from '@app/core/domain';
import type { TaskReshuffleStarted } from '../contract/reshuffle.events';

export class NoWorkers extends DomainError {
  override readonly name = 'NoWorkers';

  constructor() {
    super('NO_WORKERS', 'Nobody has role worker, so there is nobody to assign the task to', 422);
  }
}

export class NotAssignee extends DomainError {
  override readonly name = 'NotAssignee';

  constructor(taskId: string) {
    super('NOT_ASSIGNEE', 'Only the assignee completes a task', 403, { taskId });
  }
}

export class TaskAlreadyCompleted extends DomainError {
  override readonly name = 'TaskAlreadyCompleted';

  constructor(taskId: string) {
    super('TASK_ALREADY_COMPLETED', 'The task is already completed', 409, { taskId });
  }
}

export class TaskAlreadyExists extends DomainError {
  override readonly name = 'TaskAlreadyExists';

  constructor(taskId: string) {
    super('TASK_ALREADY_EXISTS', `Task ${taskId} already exists`, 409, { taskId });
  }
}

/** A reshuffle is running (started, not finished): a second one would reassign every task again. */
export class ReshuffleInProgress extends DomainError {
  override readonly name = 'ReshuffleInProgress';

  constructor(running: TaskReshuffleStarted['data']) {
    super(
      'RESHUFFLE_IN_PROGRESS',
      'A reshuffle is already running and gives every open task a new worker; nothing was done, try again once it has finished',
      409,
      { reshuffleId: running.reshuffleId, startedAt: running.startedAt },
    );
  }
}

/** The reshuffle's start is recorded, so it will be finished, but this run stopped before the end. */
export class ReshuffleUnfinished extends DomainError {
  override readonly name = 'ReshuffleUnfinished';

  constructor(reshuffleId: string, cause: DomainError) {
    super(
      'RESHUFFLE_UNFINISHED',
      'The reshuffle started but stopped part-way; the worker finishes it shortly, reassigning each open task once',
      503,
      { reshuffleId, reason: cause.code },
    );
  }
}
