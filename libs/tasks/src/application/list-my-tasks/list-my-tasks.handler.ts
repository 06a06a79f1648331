import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { KNEX } from '@app/core';
import type { TaskRow } from '@app/projections/tasks/task-board.projection';
import { toTaskView, type TaskView } from '../task-view';
import { ListMyTasksQuery } from './list-my-tasks.query';

@Injectable()
@QueryHandler(ListMyTasksQuery)
export class ListMyTasksHandler implements IQueryHandler<ListMyTasksQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute({ userId, status }: ListMyTasksQuery): Promise<{ items: TaskView[] }> {
    const query = this.knex<TaskRow>('task_board').where({ assignee_id: userId });
    if (status) query.where({ status });
    const rows = await query.orderBy('created_position', 'desc');
    return { items: rows.map(toTaskView) };
  }
}
