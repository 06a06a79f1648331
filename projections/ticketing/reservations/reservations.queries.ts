import { defineQueries } from '@app/core';
import { type ReservationRow, reservationsProjection } from './reservations.projection';

export type { ReservationRow } from './reservations.projection';

export const reservationsQueries = defineQueries(reservationsProjection, ({ table }) => ({
  /** The show a reservation is on, or null for no such reservation. */
  showOf: async (reservationId: string): Promise<string | null> => {
    const row = await table<ReservationRow>('ticketing_reservations').where({ reservation_id: reservationId }).first('show_id');
    return row?.show_id ?? null;
  },
  byId: async (reservationId: string): Promise<ReservationRow | null> => (await table<ReservationRow>('ticketing_reservations').where({ reservation_id: reservationId }).first()) ?? null,
}));
