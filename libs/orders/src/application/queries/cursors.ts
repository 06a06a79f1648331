import { ValidationFailedError } from '@app/core';
import { isPosition, type Position } from '@app/eventstore';

/** A page of orders ends at an order: the position of its OrderPlaced, opaque to clients. */
export function encodeOrdersCursor(position: Position): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

export function decodeOrdersCursor(cursor: string): Position {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isPosition(position)) throw new ValidationFailedError('Invalid input: cursor', { cursor: ['cursor must be a nextCursor this API returned'] });
  return position;
}
