import { Query } from '@nestjs/cqrs';
import type { TaskStatus, TaskView } from '../task-view';

export interface TaskPage {
  items: TaskView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The task board, newest first, optionally for one status and one assignee. */
export class ListTasksQuery extends Query<TaskPage> {
  constructor(
    readonly filter: { status?: TaskStatus; assigneeId?: string },
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
