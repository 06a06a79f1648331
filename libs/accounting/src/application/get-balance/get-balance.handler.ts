import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { CLOCK, type Clock, KNEX, utcDateOf } from '@app/core';
import { type Balance, GetBalanceQuery } from './get-balance.query';

@Injectable()
@QueryHandler(GetBalanceQuery)
export class GetBalanceHandler implements IQueryHandler<GetBalanceQuery> {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId }: GetBalanceQuery): Promise<Balance> {
    const row = await this.knex<{ user_id: string; balance: string }>('account_balances').where({ user_id: userId }).first();
    return { userId, balance: Number(row?.balance ?? 0), date: utcDateOf(this.clock.now()) };
  }
}
