import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels, ValidationFailedError } from '@app/core';
import { type AccountsCursor, ledgerAccountsQueries } from '@app/projections/ledger/accounts/accounts.queries';
import { type LedgerAccountPage, ListAccountsQuery } from './list-accounts.query';

/** Keyset pages on (branch, account): each page costs the same however deep, and accounts opened meanwhile are neither skipped nor repeated. */
@Injectable()
@QueryHandler(ListAccountsQuery)
export class ListAccountsHandler implements IQueryHandler<ListAccountsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ branch, limit, cursor }: ListAccountsQuery): Promise<LedgerAccountPage> {
    const { rows, next } = await this.readModels.use(ledgerAccountsQueries).page({ branch, limit, cursor: cursor === undefined ? undefined : decodeCursor(cursor) });
    return {
      items: rows.map((row) => ({ branch: row.branch, account: row.account, holder: row.holder, blocked: row.blocked, openedAt: row.opened_at.toISOString() })),
      nextCursor: next ? Buffer.from(`${next.branch}:${next.account}`, 'utf8').toString('base64url') : null,
    };
  }
}

function decodeCursor(cursor: string): AccountsCursor {
  const [branch, account, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const name = /^[A-Za-z0-9-]{1,20}$/;
  if (rest.length > 0 || !name.test(branch ?? '') || !name.test(account ?? '')) {
    throw new ValidationFailedError('Invalid input: cursor', { cursor: ['cursor must be a nextCursor this API returned'] });
  }
  return { branch, account };
}
