import { jsonEvent, type JSONEventData, type JSONType, type RecordedEvent as ClientRecordedEvent } from '@eventstore/db-client';
import type { EventData, EventMetadata, RecordedEvent } from '../event-store';
import { fromClientPosition, isKnownPosition } from './positions';

/**
 * An event to append, as the client's JSON event. Data and metadata are stored as JSON; absent
 * data is stored as `null` and absent metadata as `{}`, as the PostgreSQL adapter stores them.
 */
export function toClientEvent(event: EventData): JSONEventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    // JSON.stringify takes any JSON value; the client's type only names objects, arrays and strings.
    data: (event.data ?? null) as JSONType,
    metadata: event.metadata ?? {},
  });
}

/** A stored event from the client, in the port's shape. */
export function fromClientEvent(event: ClientRecordedEvent): RecordedEvent {
  if (!isKnownPosition(event.position)) throw new MissingPositionError(event.streamId, event.revision);
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: toMetadata(event.metadata),
    streamName: event.streamId,
    revision: event.revision,
    position: fromClientPosition(event.position),
    recordedAt: event.created,
  };
}

/**
 * Our events always carry a JSON object as metadata. Events written by other tools may carry
 * none, or bytes that are not JSON; those read as empty metadata.
 */
function toMetadata(metadata: unknown): EventMetadata {
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) && !(metadata instanceof Uint8Array)
    ? (metadata as EventMetadata)
    : {};
}

/** The server did not say where in `$all` an event sits, so it cannot be given a position. */
export class MissingPositionError extends Error {
  override readonly name = 'MissingPositionError';

  constructor(
    readonly streamName: string,
    readonly revision: bigint,
  ) {
    super(
      `EventStoreDB reported no $all position for event ${revision} of stream "${streamName}"; ` +
        'the adapter needs EventStoreDB 22.6 or later and events not written in explicit transactions',
    );
  }
}
