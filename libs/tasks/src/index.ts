export * from './domain/task.events';
export * from './domain/reshuffle.events';
export * from './domain/tasks.errors';
export * from './application/reassign-tasks/reshuffle-resumer';
export * from './http/tasks-api.module';
export * from './tasks-worker.module';
export * from './tasks.module';
export * from './tasks.context';
