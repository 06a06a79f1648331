import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  NotFoundError,
  PROJECTIONS,
  type ProjectionDefinition,
  type ProjectionReport,
  ProjectionStatusReader,
  ProjectionStore,
} from '@app/core';
import { Authorize } from '@app/identity';

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
  @ApiOkResponse({ description: '[{ name, version, status, position, lagEvents, lagSeconds, lastError }]' })
  list(): Promise<ProjectionReport[]> {
    return this.status.report();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'A fresh generation is being built; the current one keeps serving until it has caught up' })
  @ApiNotFoundResponse()
  async rebuild(@Param('name') name: string): Promise<{ name: string; generation: number }> {
    const generation = await this.store.requestRebuild(this.definition(name));
    return { name, generation };
  }

  @Post(':name/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'The halted projection retries the event it halted on' })
  @ApiNotFoundResponse()
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
