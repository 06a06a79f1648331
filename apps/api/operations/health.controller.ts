import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Response } from 'express';
import type { Knex } from 'knex';
import { KNEX, LEASE_CLASS, PLATFORM_CONFIG, type PlatformConfig, type ProjectionReport, ProjectionStatusReader } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { Authenticator } from '@app/identity';

export type ComponentStatus = 'ok' | 'degraded' | 'down';

interface Component {
  status: ComponentStatus;
  /** What is wrong, for admins (or everyone with HEALTH_DETAILS=true): hosts, errors, projection names. */
  error?: string;
  halted?: Array<{ name: string; lastError: string | null }>;
  /** Projections with lag that no process has held the lease of or moved for HEALTH_STALL_SECONDS. */
  stalled?: StalledProjection[];
}

export interface StalledProjection {
  name: string;
  lagEvents: number;
  lagSeconds: number;
  /** Seconds since its checkpoint last moved. */
  idleSeconds: number;
  /** Some process holds its lease now (and has for HEALTH_STALL_SECONDS, yet does not move it). */
  leaseHeld: boolean;
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
    stalled: {
      type: 'array',
      description:
        'The projections with lag that no process has held the lease of or moved for HEALTH_STALL_SECONDS (admins, or everyone with HEALTH_DETAILS=true)',
      items: {
        type: 'object',
        required: ['name', 'lagEvents', 'lagSeconds', 'idleSeconds', 'leaseHeld'],
        properties: {
          name: { type: 'string' },
          lagEvents: { type: 'integer', minimum: 0 },
          lagSeconds: { type: 'number', minimum: 0 },
          idleSeconds: { type: 'number', minimum: 0, description: 'Seconds since its checkpoint last moved' },
          leaseHeld: { type: 'boolean', description: 'A process holds its lease now, yet has not moved it' },
        },
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
 * what went wrong (connection errors, halted projections and their errors, stalled projections)
 * is for admins, or for everyone with HEALTH_DETAILS=true, since it names hosts, tables and
 * statements. A halted projection or an unreachable database or event store is 503; a stalled
 * projection (lag, and for HEALTH_STALL_SECONDS no process has held its lease or moved it: no
 * worker runs, or the one that does is stuck) is `degraded` with 200, since this api still serves.
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
  @ApiOkResponse({
    description: 'Every component is ok, or a projection has stalled (degraded: it has lag and nobody has held or moved it for HEALTH_STALL_SECONDS)',
    schema: HEALTH_REPORT_SCHEMA,
  })
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
    // A stall alone leaves this api serving (200); a halt or an outage does not (503).
    if (status === 'down' || (projections.halted?.length ?? 0) > 0) response.status(503);
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
    const stalled = await this.stalled(report).catch(() => []);
    if (halted.length === 0 && stalled.length === 0) return { status: 'ok' };
    return {
      status: 'degraded',
      ...(halted.length > 0 ? { halted: halted.map((p) => ({ name: p.name, lastError: p.lastError })) } : {}),
      ...(stalled.length > 0 ? { stalled } : {}),
    };
  }

  /**
   * The projections (not halted) whose oldest unapplied event has waited HEALTH_STALL_SECONDS,
   * whose checkpoint has not moved for as long, and whose lease no process has taken within that
   * time (a worker that has just taken it over gets the time to start). The lease is the advisory
   * lock `(LEASE_CLASS, hashtext(name))` in this database; its holder's connection start is when
   * it came. Times are the database's, so the clocks of the processes do not matter.
   */
  private async stalled(report: readonly ProjectionReport[]): Promise<StalledProjection[]> {
    const bound = this.config.healthStallSeconds;
    const lagging = report.filter((p) => p.status !== 'halted' && p.lagEvents > 0 && p.lagSeconds >= bound);
    if (lagging.length === 0) return [];
    const { rows } = await this.knex.raw<{ rows: Array<{ name: string; idle_seconds: number | null; held_seconds: number | null }> }>(
      `select s.name,
              (select extract(epoch from now() - max(c.updated_at))::float8 from projection_checkpoints c where c.name = s.name) as idle_seconds,
              (select extract(epoch from now() - min(a.backend_start))::float8
                 from pg_locks l left join pg_stat_activity a on a.pid = l.pid
                where l.locktype = 'advisory' and l.granted and l.objsubid = 2 and l.classid = ?
                  and l.database = (select oid from pg_database where datname = current_database())
                  and l.objid::bigint = (hashtext(s.name)::bigint & 4294967295)) as held_seconds,
              exists (select 1 from pg_locks l
                where l.locktype = 'advisory' and l.granted and l.objsubid = 2 and l.classid = ?
                  and l.database = (select oid from pg_database where datname = current_database())
                  and l.objid::bigint = (hashtext(s.name)::bigint & 4294967295)) as held
         from projection_state s
        where s.name in (${lagging.map(() => '?').join(', ')})`,
      [LEASE_CLASS, LEASE_CLASS, ...lagging.map((p) => p.name)],
    );
    const facts = new Map(rows.map((row) => [row.name, row]));
    const stalled: StalledProjection[] = [];
    for (const projection of lagging) {
      const fact = facts.get(projection.name) as { idle_seconds: number | null; held_seconds: number | null; held: boolean } | undefined;
      if (!fact) continue;
      const idleSeconds = fact.idle_seconds ?? Number.POSITIVE_INFINITY;
      // A holder that came within the bound (its connection's start; unknown counts as old) has its time to move it.
      const newHolder = fact.held && fact.held_seconds !== null && fact.held_seconds < bound;
      if (idleSeconds < bound || newHolder) continue;
      stalled.push({
        name: projection.name,
        lagEvents: projection.lagEvents,
        lagSeconds: Math.round(projection.lagSeconds * 10) / 10,
        idleSeconds: Number.isFinite(idleSeconds) ? Math.round(idleSeconds * 10) / 10 : projection.lagSeconds,
        leaseHeld: fact.held,
      });
    }
    return stalled;
  }
}
