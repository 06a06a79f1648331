import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { addDays, ReadModels, ValidationFailedError } from '@app/core';
import { balancesQueries } from '@app/projections/ledger/balances/balances.queries';
import { type DayBalances, formatDayBalance, GetBalancesQuery } from './get-balance.query';

/** The longest range one request reads: a year, leap day included. */
export const MAX_BALANCE_DAYS = 366;

@Injectable()
@QueryHandler(GetBalancesQuery)
export class GetBalancesHandler implements IQueryHandler<GetBalancesQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ branch, account, from, to }: GetBalancesQuery): Promise<DayBalances> {
    if (from > to) throw new ValidationFailedError('Invalid input: to', { to: ['to must not be before from'] });
    if (addDays(from, MAX_BALANCE_DAYS - 1) < to) throw new ValidationFailedError('Invalid input: to', { to: [`from and to span at most ${MAX_BALANCE_DAYS} days`] });
    const days = await this.readModels.use(balancesQueries).balancesBetween(branch, account, from, to);
    return { branch, account, items: days.map(formatDayBalance) };
  }
}
