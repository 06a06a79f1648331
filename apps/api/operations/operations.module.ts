import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsController, MetricsScrape, MetricsServer } from './metrics.controller';
import { ProjectionsController } from './projections.controller';

@Module({
  controllers: [HealthController, MetricsController, ProjectionsController],
  providers: [MetricsScrape, MetricsServer],
})
export class OperationsModule {}
