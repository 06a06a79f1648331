import { Module } from '@nestjs/common';
import { ReshuffleResumer } from './application/reassign-tasks/reshuffle-resumer';
import { loadReshuffleConfig, RESHUFFLE_CONFIG } from './application/reassign-tasks/reshuffle.config';
import { TasksModule } from './tasks.module';

/** Tasks as the worker runs them: finishing reshuffles whose run stopped half-way. */
@Module({ imports: [TasksModule], providers: [{ provide: RESHUFFLE_CONFIG, useFactory: () => loadReshuffleConfig() }, ReshuffleResumer] })
export class TasksWorkerModule {}
