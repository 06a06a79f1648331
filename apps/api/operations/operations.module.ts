import { Module } from '@nestjs/common';
import { processManagerStatusProvider } from '@app/core';
import { ErrorsController } from './errors.controller';
import { EventsController } from './events.controller';
import { HealthController } from './health.controller';
import { MetricsController, MetricsScrape, MetricsServer } from './metrics.controller';
import { ProcessManagersController } from './process-managers.controller';
import { ProjectionsController } from './projections.controller';

@Module({
  controllers: [HealthController, ErrorsController, MetricsController, ProjectionsController, ProcessManagersController, EventsController],
  providers: [MetricsScrape, MetricsServer, processManagerStatusProvider],
})
export class OperationsModule {}
