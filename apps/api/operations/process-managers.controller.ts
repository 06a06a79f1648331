import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Equals } from 'class-validator';
import { currentContext, NotFoundError, type ProcessManagerReport, ProcessManagerStatusReader, ProcessManagerStore } from '@app/core';
import { Authorize } from '@app/identity';

const POSITION = { type: 'string', pattern: '^[0-9a-f]{16}-[0-9a-f]{16}$' } as const;
const PROCESS_MANAGER_REPORT_SCHEMA = {
  type: 'object',
  required: ['name', 'status', 'position', 'lagEvents', 'lagSeconds', 'attempts', 'lastError', 'failingEvent'],
  properties: {
    name: { type: 'string' },
    status: {
      type: 'string',
      enum: ['running', 'retrying', 'catching_up'],
      description: 'retrying: an event keeps failing (see lastError); catching_up: more than 100 events wait, or the oldest for more than 5 s',
    },
    position: { ...POSITION, nullable: true, description: 'The last event handled (and every one before it); null before the first' },
    lagEvents: { type: 'integer', minimum: 0, description: 'Events it reacts to that it has not handled yet' },
    lagSeconds: { type: 'number', minimum: 0, description: 'How long the oldest of them has waited' },
    attempts: { type: 'integer', minimum: 0, description: 'Failed attempts in a row at the event it is retrying; 0 when none fails' },
    lastError: { type: 'string', nullable: true, description: 'Why that event fails' },
    failingEvent: {
      type: 'object',
      nullable: true,
      description: 'While retrying: the event it fails on, and whether a skip of it was asked',
      required: ['eventId', 'type', 'position', 'skipRequested'],
      properties: { eventId: { type: 'string' }, type: { type: 'string' }, position: POSITION, skipRequested: { type: 'boolean' } },
    },
  },
};
const PROCESS_MANAGER_NAME = {
  name: 'name',
  description: 'A process manager’s name, as listed by GET /process-managers',
  schema: { type: 'string', maxLength: 200 },
} as const;

export class SkipEventRequest {
  @ApiProperty({ type: 'boolean', enum: [true], description: 'Must be true: the skipped event is never handled by this process manager' })
  @Equals(true, { message: 'confirm must be true: skipping means the event is never handled' })
  confirm!: true;
}

export interface SkipAccepted {
  name: string;
  eventId: string;
  type: string;
  position: string;
}

/** The reactions the worker runs: where each is, and a way past an event one can never handle. */
@ApiTags('operations')
@Authorize('admin')
@Controller('process-managers')
export class ProcessManagersController {
  constructor(
    private readonly status: ProcessManagerStatusReader,
    private readonly checkpoints: ProcessManagerStore,
  ) {}

  @Get()
  @ApiOperation({ summary: 'What each process manager is doing: position, lag, retries and the last error' })
  @ApiOkResponse({ description: 'Every process manager', schema: { type: 'array', items: PROCESS_MANAGER_REPORT_SCHEMA } })
  list(): Promise<ProcessManagerReport[]> {
    return this.status.report();
  }

  /**
   * Recorded in the checkpoint row, for the process running it (the worker, maybe elsewhere): it
   * moves past the event before its next retry, and only if that is still the event it fails on.
   */
  @Post(':name/skip')
  @HttpCode(202)
  @ApiOperation({ summary: 'Move a process manager past the one event it cannot handle' })
  @ApiParam(PROCESS_MANAGER_NAME)
  @ApiAcceptedResponse({
    description: 'The skip of the event it fails on is recorded; its runner moves past that event at its next retry (within a second)',
    schema: {
      type: 'object',
      required: ['name', 'eventId', 'type', 'position'],
      properties: { name: { type: 'string' }, eventId: { type: 'string' }, type: { type: 'string' }, position: POSITION },
    },
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: the body is not { confirm: true }' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no process manager has that name' })
  @ApiConflictResponse({ description: 'PROCESS_MANAGER_NOT_FAILING: it is not retrying an event; there is nothing to skip' })
  async skip(@Param('name') name: string, @Body() _body: SkipEventRequest): Promise<SkipAccepted> {
    if (!this.status.has(name)) throw new NotFoundError('Process manager', name);
    // The guard put the admin in the request context: the runner's warning says who asked.
    const event = await this.checkpoints.requestSkip(name, currentContext()?.userId ?? null);
    return { name, eventId: event.eventId, type: event.type, position: event.position };
  }
}
