import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { isUtcDate, ReadModels, ValidationFailedError } from '@app/core';
import { isPosition } from '@app/eventstore';
import { postingsQueries, type StatementCursor } from '@app/projections/ledger/postings/postings.queries';
import { toPostingStatus } from '../get-posting/get-posting.query';
import { GetStatementQuery, type StatementPage } from './get-statement.query';

/**
 * Keyset pages on (dateRef, acceptance position): each page costs the same however deep, and a
 * posting accepted meanwhile (even a retroactive one) is never shown twice nor moves one already
 * shown; it appears on a later page when it sorts after the cursor.
 */
@Injectable()
@QueryHandler(GetStatementQuery)
export class GetStatementHandler implements IQueryHandler<GetStatementQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ branch, account, from, to, limit, cursor }: GetStatementQuery): Promise<StatementPage> {
    if (from > to) throw new ValidationFailedError('Invalid input: to', { to: ['to must not be before from'] });
    const { items, next } = await this.readModels
      .use(postingsQueries)
      .statement(branch, account, { from, to, limit, cursor: cursor === undefined ? undefined : decodeCursor(cursor) });
    return { items: items.map(toPostingStatus), nextCursor: next ? Buffer.from(`${next.dateRef}|${next.position}`, 'utf8').toString('base64url') : null };
  }
}

function decodeCursor(cursor: string): StatementCursor {
  const [dateRef, position, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !isUtcDate(dateRef) || !isPosition(position)) {
    throw new ValidationFailedError('Invalid input: cursor', { cursor: ['cursor must be a nextCursor this API returned'] });
  }
  return { dateRef, position };
}
