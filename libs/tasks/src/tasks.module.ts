import { Module } from '@nestjs/common';
import { CompleteTaskHandler } from './application/complete-task/complete-task.handler';
import { CreateTaskHandler } from './application/create-task/create-task.handler';
import { GetTaskHandler } from './application/get-task/get-task.handler';
import { ListMyTasksHandler } from './application/list-my-tasks/list-my-tasks.handler';
import { ListTasksHandler } from './application/list-tasks/list-tasks.handler';
import { CarryOutReshuffleHandler } from './application/reassign-tasks/carry-out-reshuffle.handler';
import { ReassignTasksHandler } from './application/reassign-tasks/reassign-tasks.handler';
import { WorkerDirectory } from './application/worker-directory';

/** The tasks context: its command and query handlers and what they share. */
@Module({
  providers: [
    WorkerDirectory,
    CreateTaskHandler,
    ReassignTasksHandler,
    CarryOutReshuffleHandler,
    CompleteTaskHandler,
    ListTasksHandler,
    ListMyTasksHandler,
    GetTaskHandler,
  ],
})
export class TasksModule {}
