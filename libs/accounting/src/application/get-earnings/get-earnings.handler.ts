import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { CLOCK, type Clock, KNEX, utcDateOf } from '@app/core';
import { managementEarningsOn } from '@app/projections/accounting/management-earnings.projection';
import { type Earnings, GetEarningsQuery } from './get-earnings.query';

@Injectable()
@QueryHandler(GetEarningsQuery)
export class GetEarningsHandler implements IQueryHandler<GetEarningsQuery> {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetEarningsQuery): Promise<Earnings> {
    const date = query.date ?? utcDateOf(this.clock.now());
    const { earnings, fees, rewards } = await managementEarningsOn(this.knex, date);
    return { date, earnings, fees, rewards };
  }
}
