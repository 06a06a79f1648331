import { Module } from '@nestjs/common';
import { ReshuffleResumer } from './application/reassign-tasks/reshuffle-resumer';
import { TasksModule } from './tasks.module';

/** Tasks as the worker runs them: finishing reshuffles whose run stopped half-way, through the command bus. */
@Module({ imports: [TasksModule], providers: [ReshuffleResumer] })
export class TasksWorkerModule {}
