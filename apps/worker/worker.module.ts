import { Module } from '@nestjs/common';
import { ProjectionWorkerService } from './projection-worker.service';

/** Projection runners (and, as contexts arrive, process managers and schedulers). */
@Module({ providers: [ProjectionWorkerService] })
export class WorkerModule {}
