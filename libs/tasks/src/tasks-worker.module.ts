import { Module } from '@nestjs/common';
import { ReshuffleResumerWorkflow } from './application/reassign-tasks/reshuffle-resumer.workflow';
import { TasksModule } from './tasks.module';

/** Tasks as the worker runs them: the workflow that finishes reshuffles whose run stopped half-way, through the command bus. */
@Module({ imports: [TasksModule], providers: [ReshuffleResumerWorkflow], exports: [ReshuffleResumerWorkflow] })
export class TasksWorkerModule {}
