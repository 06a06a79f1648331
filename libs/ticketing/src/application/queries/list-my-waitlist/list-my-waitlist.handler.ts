import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { waitlistQueries } from '@app/projections/ticketing/waitlist/waitlist.queries';
import { ListMyWaitlistQuery, type WaitlistEntryView } from './list-my-waitlist.query';

@Injectable()
@QueryHandler(ListMyWaitlistQuery)
export class ListMyWaitlistHandler implements IQueryHandler<ListMyWaitlistQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ customerId }: ListMyWaitlistQuery): Promise<WaitlistEntryView[]> {
    const rows = await this.readModels.use(waitlistQueries).ofCustomer(customerId);
    return rows.map((row) => ({ waitlistId: row.waitlist_id, showId: row.show_id, quantity: row.quantity, place: row.place, status: row.status, reservationId: row.reservation_id }));
  }
}
