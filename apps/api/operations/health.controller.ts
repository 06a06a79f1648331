import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import type { Knex } from 'knex';
import { KNEX, ProjectionStatusReader } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionStatusReader,
  ) {}

  @Get()
  @ApiOkResponse({ description: '{ status: "ok", details }' })
  @ApiServiceUnavailableResponse({ description: 'The database or the event store is unreachable, or a projection is halted' })
  async check(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    try {
      return await this.health.check([() => this.database(), () => this.eventStore(), () => this.projectionsRunning()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse();
    }
  }

  private async database() {
    const indicator = this.indicators.check('database');
    try {
      await this.knex.raw('select 1');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  private async eventStore() {
    const indicator = this.indicators.check('eventStore');
    try {
      await this.store.ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  private async projectionsRunning() {
    const indicator = this.indicators.check('projections');
    const halted = (await this.projections.report().catch(() => [])).filter((p) => p.status === 'halted');
    if (halted.length === 0) return indicator.up();
    return indicator.down({ halted: halted.map((p) => ({ name: p.name, lastError: p.lastError })) });
  }
}
