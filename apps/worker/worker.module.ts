import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { contexts } from '../contexts';
import { ProcessManagerWorkerService } from './process-manager-worker.service';
import { ProjectionWorkerService } from './projection-worker.service';

/** Projection runners, and each context's background work (process managers, schedulers, resumers). */
@Module({
  imports: [CqrsModule.forRoot(), ...contexts.flatMap((context) => context.workerModule ?? [])],
  providers: [ProjectionWorkerService, ProcessManagerWorkerService],
})
export class WorkerModule {}
