import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { usersQueries } from '@app/identity';
import { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';
import { type AccountSummary, ListAccountsQuery } from './list-accounts.query';

@Injectable()
@QueryHandler(ListAccountsQuery)
export class ListAccountsHandler implements IQueryHandler<ListAccountsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  /** Every worker, and every other user with a balance, by name then id; no balance reads as 0. */
  async execute(): Promise<AccountSummary[]> {
    const [users, balances] = await Promise.all([this.readModels.use(usersQueries).all(), this.readModels.use(accountsQueries).balances()]);
    const balanceOf = new Map(balances.map((row) => [row.user_id, row.balance]));
    return users
      .filter((user) => user.role === 'worker' || balanceOf.has(user.user_id))
      .map((user) => ({ userId: user.user_id, name: user.name, balance: Number(balanceOf.get(user.user_id) ?? 0) }));
  }
}
