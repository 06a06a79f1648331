import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { taskBoardQueries } from '@app/projections/tasks/task-board/task-board.queries';
import type { TaskPage } from '../list-tasks/list-tasks.query';
import { readTaskPage } from '../list-tasks/task-cursor';
import { ListMyTasksQuery } from './list-my-tasks.query';

/** The board's paging, filtered to one assignee (served by the board's assignee index). */
@Injectable()
@QueryHandler(ListMyTasksQuery)
export class ListMyTasksHandler implements IQueryHandler<ListMyTasksQuery> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ userId, status, limit, cursor }: ListMyTasksQuery): Promise<TaskPage> {
    return readTaskPage(this.readModels.use(taskBoardQueries), { status, assigneeId: userId }, limit, cursor);
  }
}
