import { Module } from '@nestjs/common';
import { TasksWorkerModule } from '@app/tasks';
import { ProjectionWorkerService } from './projection-worker.service';

/** Projection runners, and each context's background work (process managers, schedulers, resumers). */
@Module({ imports: [TasksWorkerModule], providers: [ProjectionWorkerService] })
export class WorkerModule {}
