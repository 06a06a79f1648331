import { Query } from '@nestjs/cqrs';
import type { TaskPage } from '../list-tasks/list-tasks.query';
import type { TaskStatus } from '../task-view';

/** The tasks assigned to one user, newest first, a page at a time (the board's cursor). */
export class ListMyTasksQuery extends Query<TaskPage> {
  constructor(
    readonly userId: string,
    readonly status: TaskStatus | undefined,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
