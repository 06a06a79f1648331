import { ValidationFailedError } from '@app/core';
import { isPosition, type Position } from '@app/eventstore';

/**
 * The board's page cursor: the creation position of the last task on the page, opaque to
 * clients. Pages follow creation order, which never changes, so a cursor stays valid and no task
 * is skipped or repeated while tasks are added, completed or reassigned between pages.
 */
export function encodeTaskCursor(createdPosition: Position): string {
  return Buffer.from(createdPosition, 'utf8').toString('base64url');
}

export function decodeTaskCursor(cursor: string): Position {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isPosition(position)) throw new ValidationFailedError('Invalid input: cursor', { cursor: ['cursor must be a nextCursor this API returned'] });
  return position;
}
