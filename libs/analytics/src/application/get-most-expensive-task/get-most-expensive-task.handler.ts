import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { CLOCK, type Clock, isoWeekOf, KNEX, monthOf, utcDateOf } from '@app/core';
import type { MostExpensiveTaskRow } from '@app/projections/analytics/most-expensive-tasks.projection';
import { GetMostExpensiveTaskQuery, type MostExpensiveTask, type Period } from './get-most-expensive-task.query';

@Injectable()
@QueryHandler(GetMostExpensiveTaskQuery)
export class GetMostExpensiveTaskHandler implements IQueryHandler<GetMostExpensiveTaskQuery> {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ period, date }: GetMostExpensiveTaskQuery): Promise<MostExpensiveTask> {
    const { from, to } = periodOf(period, date ?? utcDateOf(this.clock.now()));
    const row = await this.knex<MostExpensiveTaskRow>('most_expensive_tasks').where({ period, period_start: from }).first();
    return {
      period,
      from,
      to,
      task: row ? { taskId: row.task_id, title: row.title, reward: Number(row.reward), completedAt: row.completed_at.toISOString() } : null,
    };
  }
}

function periodOf(period: Period, date: string): { from: string; to: string } {
  switch (period) {
    case 'day':
      return { from: date, to: date };
    case 'week':
      return isoWeekOf(date);
    case 'month':
      return monthOf(date);
  }
}
