import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, ReadModels } from '@app/core';
import { utcDateOf } from '@app/core/domain';
import { managementEarningsQueries } from '@app/projections/accounting/management-earnings/management-earnings.queries';
import { type Earnings, GetEarningsQuery } from './get-earnings.query';

@Injectable()
@QueryHandler(GetEarningsQuery)
export class GetEarningsHandler implements IQueryHandler<GetEarningsQuery> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetEarningsQuery): Promise<Earnings> {
    const date = query.date ?? utcDateOf(this.clock.now());
    const { earnings, fees, rewards } = await this.readModels.use(managementEarningsQueries).on(date);
    return { date, earnings, fees, rewards };
  }
}
