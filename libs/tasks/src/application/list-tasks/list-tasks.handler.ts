import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { KNEX } from '@app/core';
import { ListTasksQuery, type TaskPage } from './list-tasks.query';
import { readTaskPage } from './task-cursor';

/** Keyset pagination on the creation position: each page costs the same, however deep. */
@Injectable()
@QueryHandler(ListTasksQuery)
export class ListTasksHandler implements IQueryHandler<ListTasksQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  execute({ filter, limit, cursor }: ListTasksQuery): Promise<TaskPage> {
    return readTaskPage(this.knex, filter, limit, cursor);
  }
}
