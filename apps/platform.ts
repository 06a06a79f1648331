import type { EventSchema, ProjectionDefinition } from '@app/core';
import { accountsProjection } from '@app/projections/accounting/accounts.projection';
import { billingProjection } from '@app/projections/accounting/billing.projection';
import { managementEarningsProjection } from '@app/projections/accounting/management-earnings.projection';
import { mostExpensiveTasksProjection } from '@app/projections/analytics/most-expensive-tasks.projection';
import { usersProjection } from '@app/projections/identity/users.projection';
import { taskBoardProjection } from '@app/projections/tasks/task-board.projection';
import { taskReshufflesProjection } from '@app/projections/tasks/task-reshuffles.projection';
import { taskCreatedSchema } from '@app/tasks';

/** Every projection the platform runs; each bounded context adds its read models here. */
export const projections: ProjectionDefinition[] = [
  usersProjection,
  taskBoardProjection,
  taskReshufflesProjection,
  accountsProjection,
  billingProjection,
  managementEarningsProjection,
  mostExpensiveTasksProjection,
];

/** Every event type with a schema version above 1, with its upcasters. */
export const eventSchemas: EventSchema[] = [taskCreatedSchema];
