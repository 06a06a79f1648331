import { Query } from '@nestjs/cqrs';
import type { TaskStatus, TaskView } from '../task-view';

/** The tasks assigned to one user, newest first. */
export class ListMyTasksQuery extends Query<{ items: TaskView[] }> {
  constructor(
    readonly userId: string,
    readonly status?: TaskStatus,
  ) {
    super();
  }
}
