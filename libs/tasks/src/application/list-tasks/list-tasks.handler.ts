import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { taskBoardQueries } from '@app/projections/tasks/task-board/task-board.queries';
import { ListTasksQuery, type TaskPage } from './list-tasks.query';
import { readTaskPage } from './task-cursor';

/** Keyset pagination on the creation position: each page costs the same, however deep. */
@Injectable()
@QueryHandler(ListTasksQuery)
export class ListTasksHandler implements IQueryHandler<ListTasksQuery> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ filter, limit, cursor }: ListTasksQuery): Promise<TaskPage> {
    return readTaskPage(this.readModels.use(taskBoardQueries), filter, limit, cursor);
  }
}
