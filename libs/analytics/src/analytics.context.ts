import { defineContext } from '@app/core';
import { mostExpensiveTasksProjection } from '@app/projections/analytics/most-expensive-tasks/most-expensive-tasks.projection';
import { AnalyticsApiModule } from './http/analytics-api.module';

/** Analytics: read-only answers for admins over what accounting records; it writes nothing. */
export const analyticsContext = defineContext({
  name: 'analytics',
  apiTags: { analytics: 'Read-only answers over the accounting read models' },
  apiModule: AnalyticsApiModule,
  projections: [mostExpensiveTasksProjection],
});
