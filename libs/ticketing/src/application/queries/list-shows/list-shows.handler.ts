import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { showsQueries } from '@app/projections/ticketing/shows/shows.queries';
import { decodeShowsCursor, encodeShowsCursor } from '../cursors';
import { ListShowsQuery, type ShowPage } from './list-shows.query';

/** Keyset pages on (startsAt, showId): each page costs the same however deep, and shows created meanwhile are neither skipped nor repeated. */
@Injectable()
@QueryHandler(ListShowsQuery)
export class ListShowsHandler implements IQueryHandler<ListShowsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ from, limit, cursor }: ListShowsQuery): Promise<ShowPage> {
    const { rows, next } = await this.readModels.use(showsQueries).page({ from, limit, cursor: cursor === undefined ? undefined : decodeShowsCursor(cursor) });
    return {
      items: rows.map((row) => ({
        showId: row.show_id,
        title: row.title,
        venue: row.venue,
        startsAt: row.starts_at.toISOString(),
        available: row.available,
        held: row.held,
        sold: row.sold,
      })),
      nextCursor: next ? encodeShowsCursor(next) : null,
    };
  }
}
