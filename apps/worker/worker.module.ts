import { Module } from '@nestjs/common';
import { contexts } from '../contexts';
import { ProcessManagerWorkerService } from './process-manager-worker.service';
import { ProjectionWorkerService } from './projection-worker.service';
import { WorkflowWorkerService } from './workflow-worker.service';

/** Projection runners, and each context's background work: process managers, and workflows with their timers. */
@Module({
  imports: [...contexts.flatMap((context) => context.workerModule ?? [])],
  providers: [ProjectionWorkerService, ProcessManagerWorkerService, WorkflowWorkerService],
})
export class WorkerModule {}
