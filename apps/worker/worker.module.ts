import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AccountingWorkerModule } from '@app/accounting';
import { TasksWorkerModule } from '@app/tasks';
import { ProcessManagerWorkerService } from './process-manager-worker.service';
import { ProjectionWorkerService } from './projection-worker.service';

/** Projection runners, and each context's background work (process managers, schedulers, resumers). */
@Module({
  imports: [DiscoveryModule, TasksWorkerModule, AccountingWorkerModule],
  providers: [ProjectionWorkerService, ProcessManagerWorkerService],
})
export class WorkerModule {}
