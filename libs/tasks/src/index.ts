/** What other contexts, the apps and the tests may use of tasks: its published events, errors, modules and context. */
export * from './contract';
export * from './domain/tasks.errors';
export * from './http/tasks-api.module';
export * from './tasks-worker.module';
export * from './tasks.module';
export * from './tasks.context';
