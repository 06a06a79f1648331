import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PlatformMetrics, ProcessManagerStore, ProjectionStatusReader } from '@app/core';

/** Prometheus scrape endpoint; projection lag and process managers' retries are measured at scrape time. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: PlatformMetrics,
    private readonly projections: ProjectionStatusReader,
    private readonly processManagers: ProcessManagerStore,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    this.metrics.recordProjections(await this.projections.report());
    this.metrics.recordProcessManagers(await this.processManagers.checkpoints());
    return this.metrics.registry.metrics();
  }
}
