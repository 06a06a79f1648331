import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsText, NotFoundError, QueryInteger, Text } from '@app/core';
import { EVENT_STORE, type EventStore, POSITION_PATTERN, type RecordedEvent } from '@app/eventstore';
import { Authorize } from '@app/identity';

const POSITION = { type: 'string', pattern: POSITION_PATTERN.source } as const;
const NULLABLE_TEXT = { type: 'string', nullable: true } as const;

/** Page sizes of the log and of a stream (the API's paging convention). */
const EVENT_PAGE_SIZE = { minimum: 1, maximum: 500, default: 50 } as const;

/** Events named as caused by one event, at most. */
const CAUSED_EVENTS_SHOWN = 500;

const STORED_EVENT_PROPERTIES: Record<string, SchemaObject> = {
  eventId: { type: 'string', format: 'uuid' },
  type: { type: 'string', description: 'The stable event type name' },
  streamName: { type: 'string' },
  revision: { type: 'integer', minimum: 0, description: 'Its place in its stream, from 0' },
  position: { ...POSITION, description: 'Its place in the whole log; string order is log order' },
  recordedAt: { type: 'string', format: 'date-time' },
  data: { description: 'The event body as stored (any JSON value), before any upcasting' },
  metadata: {
    type: 'object',
    description: 'What the writing request or reaction stamped on it; other keys it carries are kept',
    required: ['correlationId', 'causationId', 'userId', 'traceKey', 'schemaVersion'],
    properties: {
      correlationId: { ...NULLABLE_TEXT, description: 'Shared by everything one request set going' },
      causationId: { ...NULLABLE_TEXT, description: 'The event a process manager or workflow reacted to; null for a request’s own writes' },
      userId: { ...NULLABLE_TEXT, description: 'Who made the request' },
      traceKey: { ...NULLABLE_TEXT, description: 'The X-Trace-Key of the request' },
      schemaVersion: { type: 'integer', nullable: true, description: 'Version of `data`' },
    },
  },
};
const STORED_EVENT_REQUIRED = ['eventId', 'type', 'streamName', 'revision', 'position', 'recordedAt', 'data', 'metadata'];
const STORED_EVENT_SCHEMA = { type: 'object', required: STORED_EVENT_REQUIRED, properties: STORED_EVENT_PROPERTIES };

export interface StoredEvent {
  eventId: string;
  type: string;
  streamName: string;
  revision: number;
  position: string;
  recordedAt: string;
  data: unknown;
  metadata: { correlationId: string | null; causationId: string | null; userId: string | null; traceKey: string | null; schemaVersion: number | null } & Record<
    string,
    unknown
  >;
}

export interface EventPage {
  items: StoredEvent[];
  nextCursor: string | null;
}

export interface EventWithCauses extends StoredEvent {
  causedEvents: { eventId: string; type: string; streamName: string }[];
}

/**
 * `?after=`, which every query accepts: the log holds every event a command has answered for, so
 * nothing is waited for; it is checked as a position all the same.
 */
class LogQuery {
  @ApiPropertyOptional({
    type: String,
    pattern: POSITION_PATTERN.source,
    example: '00000000000004d2-0000000000000001',
    description: 'Accepted as on every query; the log already holds every event a command answered for, so nothing waits',
  })
  @IsOptional()
  @Matches(POSITION_PATTERN, { message: 'after must be a position as a command answered it' })
  after?: string;
}

/** `?before=&type=&limit=`: one page of the log, newest first. */
export class EventLogQuery extends LogQuery {
  @ApiPropertyOptional({
    type: String,
    pattern: POSITION_PATTERN.source,
    example: '00000000000004d2-0000000000000001',
    description: 'Only events before this position: the nextCursor of the previous page',
  })
  @IsOptional()
  @Matches(POSITION_PATTERN, { message: 'before must be a position (the nextCursor of a page)' })
  before?: string;

  @Text({ optional: true, maxLength: 200, example: 'TaskCreated', description: 'Only events of this type' })
  type?: string;

  @QueryInteger({ ...EVENT_PAGE_SIZE, description: 'Events per page' })
  limit?: number;
}

export class EventIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  eventId!: string;
}

/** Stream names are taken as they are (not trimmed): any text but control characters. */
export class StreamParams {
  @ApiProperty({ type: String, minLength: 1, maxLength: 500, example: 'task-3f0c2a4e-1b7d-4c55-9e0a-8d6f2b1c7a90' })
  @IsText({ maxLength: 500 })
  stream!: string;
}

const DIRECTIONS = ['forwards', 'backwards'] as const;

/** `?fromRevision=&direction=&limit=`: part of one stream. */
export class StreamReadQuery extends LogQuery {
  @QueryInteger({
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Inclusive; defaults to the first event (forwards) or the last (backwards)',
  })
  fromRevision?: number;

  @ApiPropertyOptional({ enum: DIRECTIONS, default: 'forwards' })
  @IsOptional()
  @IsIn(DIRECTIONS)
  direction?: (typeof DIRECTIONS)[number];

  @QueryInteger({ ...EVENT_PAGE_SIZE, description: 'Events at most' })
  limit?: number;
}

/** The log itself, for admins: what was written, by which request, and what it set going. */
@ApiTags('operations')
@Authorize('admin')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller()
export class EventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('events')
  @ApiOperation({ summary: 'The event log, newest first, a page at a time, optionally of one type' })
  @ApiOkResponse({
    description: 'Newest first; every event committed when the first page was read, once, across pages',
    schema: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: STORED_EVENT_SCHEMA },
        nextCursor: { ...POSITION, nullable: true, description: 'Pass as ?before= for the next (older) page; null on the last page' },
      },
    },
  })
  async list(@Query() query: EventLogQuery): Promise<EventPage> {
    const limit = query.limit ?? EVENT_PAGE_SIZE.default;
    const events = await this.store.readAllBackwards({
      before: query.before ?? 'end',
      maxCount: limit + 1,
      ...(query.type !== undefined ? { filter: { eventTypes: [query.type] } } : {}),
    });
    const items = events.slice(0, limit).map(toStoredEvent);
    return { items, nextCursor: events.length > limit ? items[items.length - 1].position : null };
  }

  @Get('events/:eventId')
  @ApiOperation({ summary: 'One event, with the events written in reaction to it' })
  @ApiOkResponse({
    description: 'The event; causedEvents are those whose metadata.causationId is its id, in log order',
    schema: {
      type: 'object',
      required: [...STORED_EVENT_REQUIRED, 'causedEvents'],
      properties: {
        ...STORED_EVENT_PROPERTIES,
        causedEvents: {
          type: 'array',
          maxItems: CAUSED_EVENTS_SHOWN,
          items: {
            type: 'object',
            required: ['eventId', 'type', 'streamName'],
            properties: { eventId: { type: 'string', format: 'uuid' }, type: { type: 'string' }, streamName: { type: 'string' } },
          },
        },
      },
    },
  })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: the log holds no event with that id' })
  async get(@Param() { eventId }: EventIdParams): Promise<EventWithCauses> {
    const event = await this.store.readEvent(eventId);
    if (!event) throw new NotFoundError('Event', eventId);
    const caused = await this.store.readCausedBy(event, CAUSED_EVENTS_SHOWN);
    return {
      ...toStoredEvent(event),
      causedEvents: caused.map((c) => ({ eventId: c.id, type: c.type, streamName: c.streamName })),
    };
  }

  @Get('streams/:stream')
  @ApiOperation({ summary: 'The events of one stream, forwards or backwards from a revision' })
  @ApiOkResponse({
    description: 'In revision order (descending when backwards)',
    schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: STORED_EVENT_SCHEMA } } },
  })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no stream has that name' })
  async stream(@Param() { stream }: StreamParams, @Query() query: StreamReadQuery): Promise<{ items: StoredEvent[] }> {
    const events = await this.store.readStream(stream, {
      direction: query.direction ?? 'forwards',
      ...(query.fromRevision !== undefined ? { fromRevision: BigInt(query.fromRevision) } : {}),
      maxCount: query.limit ?? EVENT_PAGE_SIZE.default,
    });
    // Nothing read: past either end of a stream, or no stream at all.
    if (events.length === 0 && (await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 })).length === 0) {
      throw new NotFoundError('Stream', stream);
    }
    return { items: events.map(toStoredEvent) };
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function toStoredEvent(event: RecordedEvent): StoredEvent {
  const { metadata } = event;
  return {
    eventId: event.id,
    type: event.type,
    streamName: event.streamName,
    revision: Number(event.revision),
    position: event.position,
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
    metadata: {
      ...metadata,
      correlationId: text(metadata.correlationId),
      causationId: text(metadata.causationId),
      userId: text(metadata.userId),
      traceKey: text(metadata.traceKey),
      schemaVersion: typeof metadata.schemaVersion === 'number' && Number.isInteger(metadata.schemaVersion) ? metadata.schemaVersion : null,
    },
  };
}
