import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { KNEX } from '@app/core';
import type { TaskPage } from '../list-tasks/list-tasks.query';
import { readTaskPage } from '../list-tasks/task-cursor';
import { ListMyTasksQuery } from './list-my-tasks.query';

/** The board's paging, filtered to one assignee (served by the board's assignee index). */
@Injectable()
@QueryHandler(ListMyTasksQuery)
export class ListMyTasksHandler implements IQueryHandler<ListMyTasksQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  execute({ userId, status, limit, cursor }: ListMyTasksQuery): Promise<TaskPage> {
    return readTaskPage(this.knex, { status, assigneeId: userId }, limit, cursor);
  }
}
