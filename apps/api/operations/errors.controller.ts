import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CONTEXTS, type ContextDefinition, errorCatalogue, type ErrorCatalogueEntry } from '@app/core';

const ERROR_CATALOGUE_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['code', 'status', 'message'],
    properties: {
      code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable: never renamed or reused' },
      status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status an answer with this code has' },
      message: { type: 'string', description: 'What the code means, in one line' },
    },
  },
};

/**
 * Every error code an endpoint can answer, for anyone writing a client: read from the error
 * classes of the platform and of each context (`defineContext({ errors })`), so it cannot drift.
 */
@ApiTags('operations')
@Controller('errors')
export class ErrorsController {
  private readonly catalogue: readonly ErrorCatalogueEntry[];

  // Built once: a code declared twice with two statuses stops the start instead of a request.
  constructor(@Inject(CONTEXTS) contexts: readonly ContextDefinition[]) {
    this.catalogue = errorCatalogue(contexts);
  }

  @Get()
  @ApiOperation({ summary: 'Every error code the API can answer, with its HTTP status and what it means' })
  @ApiOkResponse({ description: 'The catalogue, sorted by code', schema: ERROR_CATALOGUE_SCHEMA })
  list(): readonly ErrorCatalogueEntry[] {
    return this.catalogue;
  }
}
