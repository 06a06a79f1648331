import { ValidationFailedError } from '@app/core';
import { isPosition, type Position } from '@app/eventstore';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function invalidCursor(): ValidationFailedError {
  return new ValidationFailedError('Invalid input: cursor', { cursor: ['cursor must be a nextCursor this API returned'] });
}

/** A page of shows ends at a show: its start and id, opaque to clients. */
export function encodeShowsCursor(cursor: { startsAt: Date; showId: string }): string {
  return Buffer.from(`${cursor.startsAt.toISOString()}_${cursor.showId}`, 'utf8').toString('base64url');
}

export function decodeShowsCursor(cursor: string): { startsAt: Date; showId: string } {
  const [startsAt, showId, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('_');
  if (rest.length > 0 || !ISO_INSTANT.test(startsAt ?? '') || Number.isNaN(Date.parse(startsAt)) || !UUID.test(showId ?? '')) throw invalidCursor();
  return { startsAt: new Date(startsAt), showId };
}

/** A page of reservations ends at a reservation: the position of its hold, opaque to clients. */
export function encodePositionCursor(position: Position): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

export function decodePositionCursor(cursor: string): Position {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isPosition(position)) throw invalidCursor();
  return position;
}
