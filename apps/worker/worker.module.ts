import { Module } from '@nestjs/common';
import { contexts } from '../contexts';
import { ProcessManagerWorkerService } from './process-manager-worker.service';
import { ProjectionWorkerService } from './projection-worker.service';

/** Projection runners, and each context's background work (process managers, schedulers, resumers). */
@Module({
  imports: [...contexts.flatMap((context) => context.workerModule ?? [])],
  providers: [ProjectionWorkerService, ProcessManagerWorkerService],
})
export class WorkerModule {}
