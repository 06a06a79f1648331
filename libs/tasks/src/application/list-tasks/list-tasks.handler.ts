import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { KNEX } from '@app/core';
import type { TaskRow } from '@app/projections/tasks/task-board.projection';
import { toTaskView } from '../task-view';
import { ListTasksQuery, type TaskPage } from './list-tasks.query';
import { decodeTaskCursor, encodeTaskCursor } from './task-cursor';

/** Keyset pagination on the creation position: each page costs the same, however deep. */
@Injectable()
@QueryHandler(ListTasksQuery)
export class ListTasksHandler implements IQueryHandler<ListTasksQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute({ filter, limit, cursor }: ListTasksQuery): Promise<TaskPage> {
    const query = this.knex<TaskRow>('task_board');
    if (filter.status) query.where({ status: filter.status });
    if (filter.assigneeId) query.where({ assignee_id: filter.assigneeId });
    if (cursor !== undefined) query.where('created_position', '<', decodeTaskCursor(cursor));
    const rows = await query.orderBy('created_position', 'desc').limit(limit + 1);
    const page = rows.slice(0, limit);
    return { items: page.map(toTaskView), nextCursor: rows.length > limit ? encodeTaskCursor(page[page.length - 1].created_position) : null };
  }
}
