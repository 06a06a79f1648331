import { defineQueries } from '@app/core';
import { type MostExpensiveTaskRow, mostExpensiveTasksProjection, type Period } from './most-expensive-tasks.projection';

export type { MostExpensiveTaskRow, Period } from './most-expensive-tasks.projection';

/** The most expensive task of each day, ISO week and month. */
export const mostExpensiveTasksQueries = defineQueries(mostExpensiveTasksProjection, ({ table }) => ({
  /** The most expensive task of the period starting on `periodStart` (undefined: none was completed in it). */
  of: (period: Period, periodStart: string): Promise<MostExpensiveTaskRow | undefined> =>
    table<MostExpensiveTaskRow>('most_expensive_tasks').where({ period, period_start: periodStart }).first(),
}));
