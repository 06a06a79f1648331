import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, ReadModels } from '@app/core';
import { utcDateOf } from '@app/core/domain';
import { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';
import { type Balance, GetBalanceQuery } from './get-balance.query';

@Injectable()
@QueryHandler(GetBalanceQuery)
export class GetBalanceHandler implements IQueryHandler<GetBalanceQuery> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId }: GetBalanceQuery): Promise<Balance> {
    const row = await this.readModels.use(accountsQueries).balanceOf(userId);
    return { userId, balance: Number(row?.balance ?? 0), date: utcDateOf(this.clock.now()) };
  }
}
