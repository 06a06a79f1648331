import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  NotFoundError,
  PROJECTIONS,
  type ProjectionDefinition,
  type ProjectionReport,
  ProjectionStatusReader,
  ProjectionStore,
} from '@app/core';
import { Authorize } from '@app/identity';

const POSITION = { type: 'string', pattern: '^[0-9a-f]{16}-[0-9a-f]{16}$' } as const;
const PROJECTION_REPORT_SCHEMA = {
  type: 'object',
  required: ['name', 'version', 'status', 'position', 'lagEvents', 'lagSeconds', 'lastError', 'rebuild'],
  properties: {
    name: { type: 'string' },
    version: { type: 'integer' },
    status: { type: 'string', enum: ['running', 'catching_up', 'rebuilding', 'halted'] },
    position: { ...POSITION, nullable: true, description: 'The last event applied; null before the first' },
    lagEvents: { type: 'integer', minimum: 0, description: 'Events it handles that it has not applied yet' },
    lagSeconds: { type: 'number', minimum: 0, description: 'How long the oldest of them has waited' },
    lastError: { type: 'string', nullable: true, description: 'Why it halted' },
    rebuild: {
      type: 'object',
      nullable: true,
      description: 'During a rebuild: the version being built and how far it has read',
      required: ['version', 'position'],
      properties: { version: { type: 'integer' }, position: { ...POSITION, nullable: true } },
    },
  },
};
const PROJECTION_NAME = { name: 'name', description: 'A projection’s name, as listed by GET /projections', schema: { type: 'string', maxLength: 200 } };

@ApiTags('operations')
@Authorize('admin')
@Controller('projections')
export class ProjectionsController {
  constructor(
    private readonly status: ProjectionStatusReader,
    private readonly store: ProjectionStore,
    @Inject(PROJECTIONS) private readonly projections: ProjectionDefinition[],
  ) {}

  @Get()
  @ApiOperation({ summary: 'What each read model is doing and how far behind it is' })
  @ApiOkResponse({ description: 'Every projection', schema: { type: 'array', items: PROJECTION_REPORT_SCHEMA } })
  list(): Promise<ProjectionReport[]> {
    return this.status.report();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild a read model from the log while the current one keeps serving' })
  @ApiParam(PROJECTION_NAME)
  @ApiAcceptedResponse({
    description: 'A fresh generation is being built; the current one keeps serving until it has caught up',
    schema: { type: 'object', required: ['name', 'generation'], properties: { name: { type: 'string' }, generation: { type: 'integer' } } },
  })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no projection has that name' })
  async rebuild(@Param('name') name: string): Promise<{ name: string; generation: number }> {
    const generation = await this.store.requestRebuild(this.definition(name));
    return { name, generation };
  }

  @Post(':name/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Resume a halted read model at the event it halted on' })
  @ApiParam(PROJECTION_NAME)
  @ApiAcceptedResponse({
    description: 'The halted projection retries the event it halted on',
    schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
  })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no projection has that name' })
  @ApiConflictResponse({ description: 'PROJECTION_NOT_HALTED: the projection is running; there is nothing to retry' })
  async retry(@Param('name') name: string): Promise<{ name: string }> {
    await this.store.resume(this.definition(name).name);
    return { name };
  }

  private definition(name: string): ProjectionDefinition {
    const definition = this.projections.find((p) => p.name === name);
    if (!definition) throw new NotFoundError('Projection', name);
    return definition;
  }
}
