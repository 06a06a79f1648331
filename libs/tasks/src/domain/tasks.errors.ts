import { DomainError } from '@app/core';

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
