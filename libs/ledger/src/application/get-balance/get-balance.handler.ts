import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, ReadModels, utcDateOf } from '@app/core';
import { balancesQueries } from '@app/projections/ledger/balances/balances.queries';
import { type DayBalance, formatDayBalance, GetBalanceQuery } from './get-balance.query';

@Injectable()
@QueryHandler(GetBalanceQuery)
export class GetBalanceHandler implements IQueryHandler<GetBalanceQuery> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ branch, account, date }: GetBalanceQuery): Promise<DayBalance> {
    const day = await this.readModels.use(balancesQueries).balanceOn(branch, account, date ?? utcDateOf(this.clock.now()));
    return formatDayBalance(day);
  }
}
