import { defineQueries } from '@app/core';
import { type SeatRow, type ShowRow, showsProjection } from './shows.projection';

export type { SeatRow, SeatStatus, ShowRow } from './shows.projection';

/** Where a page of shows ends: the next page starts after this show (by start, then id). */
export interface ShowsCursor {
  startsAt: Date;
  showId: string;
}

/** A show of the list: what it is and its seat counts. */
export type ShowListRow = Pick<ShowRow, 'show_id' | 'title' | 'venue' | 'starts_at' | 'available' | 'held' | 'sold'>;

export const showsQueries = defineQueries(showsProjection, ({ table, knex }) => ({
  /**
   * Shows starting at or after `from` (every show without it), by start then id; at most `limit`,
   * after `cursor`. `next` is the cursor of the page after, absent on the last page. Keyset paging
   * on the (starts_at, show_id) index: each page costs the same however deep.
   */
  page: async ({ from, limit, cursor }: { from?: Date; limit: number; cursor?: ShowsCursor }): Promise<{ rows: ShowListRow[]; next?: ShowsCursor }> => {
    const query = table<ShowRow>('ticketing_shows').select('show_id', 'title', 'venue', 'starts_at', 'available', 'held', 'sold');
    if (from) query.where('starts_at', '>=', from);
    if (cursor) query.whereRaw('(starts_at, show_id) > (?::timestamptz, ?::uuid)', [cursor.startsAt, cursor.showId]);
    const rows: ShowListRow[] = await query.orderBy([{ column: 'starts_at' }, { column: 'show_id' }]).limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { rows: page, ...(rows.length > limit && last ? { next: { startsAt: last.starts_at, showId: last.show_id } } : {}) };
  },

  /** One show with its counts, sales and seat map's layout, or null for no such show. */
  byId: async (showId: string): Promise<ShowRow | null> => (await table<ShowRow>('ticketing_shows').where({ show_id: showId }).first()) ?? null,

  /**
   * A show with every seat's status (by seat id), read in one snapshot so the counts agree with the
   * seats; null for no such show.
   */
  withSeats: (showId: string): Promise<{ show: ShowRow; seats: Map<string, SeatRow['status']> } | null> =>
    knex.transaction(
      async (trx) => {
        const show: ShowRow | undefined = await table<ShowRow>('ticketing_shows').transacting(trx).where({ show_id: showId }).first();
        if (!show) return null;
        const rows: Pick<SeatRow, 'seat_id' | 'status'>[] = await table<SeatRow>('ticketing_seats').transacting(trx).where({ show_id: showId }).select('seat_id', 'status');
        return { show, seats: new Map(rows.map((row) => [row.seat_id, row.status])) };
      },
      { isolationLevel: 'repeatable read', readOnly: true },
    ),
}));
