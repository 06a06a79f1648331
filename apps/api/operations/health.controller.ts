import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Response } from 'express';
import type { Knex } from 'knex';
import { KNEX, PLATFORM_CONFIG, type PlatformConfig, ProjectionStatusReader } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { Authenticator } from '@app/identity';

export type ComponentStatus = 'ok' | 'degraded' | 'down';

interface Component {
  status: ComponentStatus;
  /** What is wrong, for admins (or everyone with HEALTH_DETAILS=true): hosts, errors, projection names. */
  error?: string;
  halted?: Array<{ name: string; lastError: string | null }>;
}

export interface HealthReport {
  status: ComponentStatus;
  details: { database: Component; eventStore: Component; projections: Component };
}

const COMPONENT_STATUS: SchemaObject = { type: 'string', enum: ['ok', 'degraded', 'down'] };
const COMPONENT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: {
    status: COMPONENT_STATUS,
    error: { type: 'string', description: 'What is wrong (admins, or everyone with HEALTH_DETAILS=true)' },
    halted: {
      type: 'array',
      description: 'The halted projections (admins, or everyone with HEALTH_DETAILS=true)',
      items: {
        type: 'object',
        required: ['name', 'lastError'],
        properties: { name: { type: 'string' }, lastError: { type: 'string', nullable: true } },
      },
    },
  },
};
const HEALTH_REPORT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'details'],
  additionalProperties: false,
  properties: {
    status: COMPONENT_STATUS,
    details: {
      type: 'object',
      required: ['database', 'eventStore', 'projections'],
      additionalProperties: false,
      properties: { database: COMPONENT_SCHEMA, eventStore: COMPONENT_SCHEMA, projections: COMPONENT_SCHEMA },
    },
  },
};

/**
 * Liveness and readiness. Anyone sees `ok`, `degraded` or `down` for the whole and per component;
 * what went wrong (connection errors, halted projections and their errors) is for admins, or for
 * everyone with HEALTH_DETAILS=true, since it names hosts, tables and statements.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly projections: ProjectionStatusReader,
    private readonly authenticator: Authenticator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: the database, the event store and the projections' })
  @ApiOkResponse({ description: 'Every component is ok', schema: HEALTH_REPORT_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'The database or the event store is unreachable (down), or a projection is halted (degraded)',
    schema: HEALTH_REPORT_SCHEMA,
  })
  async check(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const [database, eventStore, projections] = await Promise.all([
      this.probe(() => this.knex.raw('select 1')),
      this.probe(() => this.store.ping()),
      this.projectionsRunning(),
    ]);
    const components = { database, eventStore, projections };
    const statuses = Object.values(components).map((component) => component.status);
    const status: ComponentStatus = statuses.includes('down') ? 'down' : statuses.includes('degraded') ? 'degraded' : 'ok';
    if (status !== 'ok') response.status(503);
    const details = this.config.healthDetails || (await this.isAdmin(authorization));
    return {
      status,
      details: details
        ? components
        : { database: { status: database.status }, eventStore: { status: eventStore.status }, projections: { status: projections.status } },
    };
  }

  /** An admin as the auth guard sees them now; while the database is down nobody is, so nothing leaks. */
  private async isAdmin(authorization: string | undefined): Promise<boolean> {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return false;
    return (await this.authenticator.caller(token).catch(() => null))?.role === 'admin';
  }

  private async probe(check: () => Promise<unknown>): Promise<Component> {
    try {
      await check();
      return { status: 'ok' };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  }

  private async projectionsRunning(): Promise<Component> {
    const report = await this.projections.report().catch(() => null);
    if (report === null) return { status: 'down', error: 'projection checkpoints cannot be read' };
    const halted = report.filter((p) => p.status === 'halted');
    if (halted.length === 0) return { status: 'ok' };
    return { status: 'degraded', halted: halted.map((p) => ({ name: p.name, lastError: p.lastError })) };
  }
}
