import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { CLOCK, type Clock, KNEX, utcDateOf } from '@app/core';
import { managementEarningsOn } from '@app/projections/accounting/management-earnings.projection';
import { type AnalyticsSummary, GetSummaryQuery } from './get-summary.query';

@Injectable()
@QueryHandler(GetSummaryQuery)
export class GetSummaryHandler implements IQueryHandler<GetSummaryQuery> {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetSummaryQuery): Promise<AnalyticsSummary> {
    const date = query.date ?? utcDateOf(this.clock.now());
    const { earnings } = await managementEarningsOn(this.knex, date);
    // Each worker's balance on `date` is that of the last day up to it on which the balance changed.
    const negative = await this.knex
      .from(
        this.knex('daily_balances')
          .distinctOn('user_id')
          .where('date', '<=', date)
          .orderBy([{ column: 'user_id' }, { column: 'date', order: 'desc' }])
          .select('user_id', 'balance')
          .as('latest'),
      )
      .where('balance', '<', 0)
      .count<{ count: string }[]>({ count: '*' });
    return {
      date,
      managementEarnings: earnings,
      negativeBalanceWorkers: Number(negative[0].count),
    };
  }
}
