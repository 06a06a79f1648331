import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { KNEX, NotFoundError } from '@app/core';
import type { TaskRow } from '@app/projections/tasks/task-board.projection';
import { toTaskView, type TaskView } from '../task-view';
import { GetTaskQuery } from './get-task.query';

@Injectable()
@QueryHandler(GetTaskQuery)
export class GetTaskHandler implements IQueryHandler<GetTaskQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute({ taskId }: GetTaskQuery): Promise<TaskView> {
    const row = await this.knex<TaskRow>('task_board').where({ task_id: taskId }).first();
    if (!row) throw new NotFoundError('Task', taskId);
    return toTaskView(row);
  }
}
