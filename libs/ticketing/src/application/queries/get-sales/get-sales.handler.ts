import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, ReadModels } from '@app/core';
import { showsQueries } from '@app/projections/ticketing/shows/shows.queries';
import { formatCents } from '../../../domain/money';
import { GetSalesQuery, type ShowSales } from './get-sales.query';

/** The counts the shows read model keeps per show: no reservation or seat is counted here. */
@Injectable()
@QueryHandler(GetSalesQuery)
export class GetSalesHandler implements IQueryHandler<GetSalesQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ showId }: GetSalesQuery): Promise<ShowSales> {
    const show = await this.readModels.use(showsQueries).byId(showId);
    if (!show) throw new NotFoundError('Show', showId);
    return {
      showId: show.show_id,
      sold: show.sold,
      held: show.held,
      available: show.available,
      revenue: formatCents(BigInt(show.revenue_cents)),
      reservations: {
        held: show.reservations_held,
        confirmed: show.reservations_confirmed,
        expired: show.reservations_expired,
        cancelled: show.reservations_cancelled,
        refunded: show.reservations_refunded,
      },
    };
  }
}
