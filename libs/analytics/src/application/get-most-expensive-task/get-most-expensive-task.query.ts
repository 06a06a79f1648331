import { Query } from '@nestjs/cqrs';

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

export interface MostExpensiveTask {
  period: Period;
  from: string;
  to: string;
  task: { taskId: string; title: string; reward: number; completedAt: string } | null;
}

/** The task with the highest reward among those completed in the day, ISO week or month holding `date`. */
export class GetMostExpensiveTaskQuery extends Query<MostExpensiveTask> {
  constructor(
    readonly period: Period,
    readonly date?: string,
  ) {
    super();
  }
}
