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

  /**
   * The balance now is the open day's: a closed day paid out its positive balance and carried its
   * negative one into the next, so what is left is that day's (and nothing closed counts twice).
   */
  async execute({ userId }: GetBalanceQuery): Promise<Balance> {
    const { balance, openDay } = await this.readModels.use(accountsQueries).balanceNow(userId, utcDateOf(this.clock.now()));
    return { userId, balance: Number(balance ?? 0), date: openDay };
  }
}
