import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { accountsQueries, managementEarningsQueries } from '@app/accounting';
import { CLOCK, type Clock, ReadModels } from '@app/core';
import { utcDateOf } from '@app/core/domain';
import { type AnalyticsSummary, GetSummaryQuery } from './get-summary.query';

@Injectable()
@QueryHandler(GetSummaryQuery)
export class GetSummaryHandler implements IQueryHandler<GetSummaryQuery> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetSummaryQuery): Promise<AnalyticsSummary> {
    const date = query.date ?? utcDateOf(this.clock.now());
    const { earnings } = await this.readModels.use(managementEarningsQueries).on(date);
    const negativeBalanceWorkers = await this.readModels.use(accountsQueries).negativeBalancesOn(date);
    return { date, managementEarnings: earnings, negativeBalanceWorkers };
  }
}
