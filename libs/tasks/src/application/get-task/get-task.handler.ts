import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, ReadModels } from '@app/core';
import { taskBoardQueries } from '@app/projections/tasks/task-board/task-board.queries';
import { toTaskView, type TaskView } from '../task-view';
import { GetTaskQuery } from './get-task.query';

@Injectable()
@QueryHandler(GetTaskQuery)
export class GetTaskHandler implements IQueryHandler<GetTaskQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ taskId }: GetTaskQuery): Promise<TaskView> {
    const row = await this.readModels.use(taskBoardQueries).byId(taskId);
    if (!row) throw new NotFoundError('Task', taskId);
    return toTaskView(row);
  }
}
