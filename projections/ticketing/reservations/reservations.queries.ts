import { defineQueries } from '@app/core';
import { type ReservationRow, reservationsProjection } from './reservations.projection';

export type { ReservationRow } from './reservations.projection';

export const reservationsQueries = defineQueries(reservationsProjection, ({ table }) => ({
  /** The show a reservation is on, or null for no such reservation. */
  showOf: async (reservationId: string): Promise<string | null> => {
    const row = await table<ReservationRow>('ticketing_reservations').where({ reservation_id: reservationId }).first('show_id');
    return row?.show_id ?? null;
  },
  /** One reservation, or null for no such reservation. */
  byId: async (reservationId: string): Promise<ReservationRow | null> => (await table<ReservationRow>('ticketing_reservations').where({ reservation_id: reservationId }).first()) ?? null,

  /**
   * A customer's reservations, newest first (by the position of their hold), at most `limit`,
   * those held before `createdBefore` (a position) when given; `more` when others follow. Keyset
   * paging on the (customer_id, created_position) index: a reservation never moves between pages.
   */
  pageOfCustomer: async (customerId: string, { limit, createdBefore }: { limit: number; createdBefore?: string }): Promise<{ rows: ReservationRow[]; more: boolean }> => {
    const query = table<ReservationRow>('ticketing_reservations').where({ customer_id: customerId });
    if (createdBefore !== undefined) query.where('created_position', '<', createdBefore);
    const rows: ReservationRow[] = await query.orderBy('created_position', 'desc').limit(limit + 1);
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  },
}));
