import { defineContext } from '@app/core';
import { taskBoardProjection } from '@app/projections/tasks/task-board/task-board.projection';
import { taskReshufflesProjection } from '@app/projections/tasks/task-reshuffles/task-reshuffles.projection';
import { loadReshuffleConfig, RESHUFFLE_CONFIG } from './application/reassign-tasks/reshuffle.config';
import { ReshuffleResumerWorkflow } from './application/reassign-tasks/reshuffle-resumer.workflow';
import { taskCreatedSchema } from './contract/task.events';
import * as tasksErrors from './domain/tasks.errors';
import { TasksApiModule } from './http/tasks-api.module';
import { TasksWorkerModule } from './tasks-worker.module';

/** Tasks: created and assigned to a random worker, reshuffled by managers, completed by their assignee. */
export const tasksContext = defineContext({
  name: 'tasks',
  apiTags: { tasks: 'Tasks, assigned at random to workers' },
  apiModule: TasksApiModule,
  workerModule: TasksWorkerModule,
  projections: [taskBoardProjection, taskReshufflesProjection],
  workflows: [ReshuffleResumerWorkflow],
  eventSchemas: [taskCreatedSchema],
  errors: Object.values(tasksErrors),
  config: { token: RESHUFFLE_CONFIG, load: (env) => loadReshuffleConfig(env) },
});
