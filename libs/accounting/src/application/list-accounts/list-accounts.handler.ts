import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { KNEX } from '@app/core';
import { type AccountSummary, ListAccountsQuery } from './list-accounts.query';

@Injectable()
@QueryHandler(ListAccountsQuery)
export class ListAccountsHandler implements IQueryHandler<ListAccountsQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute(): Promise<AccountSummary[]> {
    const rows = await this.knex('users as u')
      .leftJoin('account_balances as b', 'b.user_id', 'u.user_id')
      .where('u.role', 'worker')
      .orWhereNotNull('b.user_id')
      .orderBy(['u.name', 'u.user_id'])
      .select<{ user_id: string; name: string; balance: string | null }[]>('u.user_id', 'u.name', 'b.balance');
    return rows.map((row) => ({ userId: row.user_id, name: row.name, balance: Number(row.balance ?? 0) }));
  }
}
