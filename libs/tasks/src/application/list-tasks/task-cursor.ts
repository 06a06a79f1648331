import { ValidationFailedError } from '@app/core';
import { isPosition, type Position } from '@app/eventstore';
import type { TaskBoardFilter, TaskBoardQueries } from '@app/projections/tasks/task-board/task-board.queries';
import { toTaskView } from '../task-view';
import type { TaskPage } from './list-tasks.query';

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

/** A page of the board, newest first, with the cursor of the next: the one paging of every task list. */
export async function readTaskPage(board: TaskBoardQueries, filter: TaskBoardFilter, limit: number, cursor: string | undefined): Promise<TaskPage> {
  const { rows, more } = await board.page(filter, { limit, createdBefore: cursor === undefined ? undefined : decodeTaskCursor(cursor) });
  return { items: rows.map(toTaskView), nextCursor: more ? encodeTaskCursor(rows[rows.length - 1].created_position) : null };
}
