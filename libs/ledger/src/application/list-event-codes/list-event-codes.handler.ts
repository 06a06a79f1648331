import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { eventCodesQueries } from '@app/projections/ledger/event-codes/event-codes.queries';
import { type EventCodeView, ListEventCodesQuery } from './list-event-codes.query';

@Injectable()
@QueryHandler(ListEventCodesQuery)
export class ListEventCodesHandler implements IQueryHandler<ListEventCodesQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute(): Promise<EventCodeView[]> {
    const rows = await this.readModels.use(eventCodesQueries).all();
    return rows.map((row) => ({
      code: row.code,
      description: row.description,
      allowDebit: row.allow_debit,
      allowCredit: row.allow_credit,
      active: row.active,
      createdAt: row.created_at.toISOString(),
    }));
  }
}
