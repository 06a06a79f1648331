import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, ReadModels } from '@app/core';
import { isoWeekOf, monthOf, utcDateOf } from '@app/core/domain';
import { mostExpensiveTasksQueries } from '@app/projections/analytics/most-expensive-tasks/most-expensive-tasks.queries';
import { GetMostExpensiveTaskQuery, type MostExpensiveTask, type Period } from './get-most-expensive-task.query';

@Injectable()
@QueryHandler(GetMostExpensiveTaskQuery)
export class GetMostExpensiveTaskHandler implements IQueryHandler<GetMostExpensiveTaskQuery> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ period, date }: GetMostExpensiveTaskQuery): Promise<MostExpensiveTask> {
    const { from, to } = periodOf(period, date ?? utcDateOf(this.clock.now()));
    const row = await this.readModels.use(mostExpensiveTasksQueries).of(period, from);
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
