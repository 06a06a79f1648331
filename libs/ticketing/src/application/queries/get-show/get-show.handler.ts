import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, ReadModels } from '@app/core';
import { showsQueries } from '@app/projections/ticketing/shows/shows.queries';
import { formatCents } from '../../../domain/money';
import { GetShowQuery, type ShowDetail } from './get-show.query';

@Injectable()
@QueryHandler(GetShowQuery)
export class GetShowHandler implements IQueryHandler<GetShowQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ showId }: GetShowQuery): Promise<ShowDetail> {
    const found = await this.readModels.use(showsQueries).withSeats(showId);
    if (!found) throw new NotFoundError('Show', showId);
    const { show, seats } = found;
    return {
      showId: show.show_id,
      title: show.title,
      venue: show.venue,
      startsAt: show.starts_at.toISOString(),
      holdSeconds: show.hold_seconds,
      available: show.available,
      held: show.held,
      sold: show.sold,
      sections: show.sections.map((section) => ({
        name: section.name,
        price: formatCents(section.priceCents),
        rows: section.rows.map((row) => ({
          name: row.name,
          seats: Array.from({ length: row.seats }, (_, i) => {
            const seatId = `${section.name}-${row.name}-${i + 1}`;
            return { seatId, status: seats.get(seatId) ?? 'available' };
          }),
        })),
      })),
    };
  }
}
