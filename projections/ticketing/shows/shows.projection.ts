import { defineProjection, type ProjectionContext, type Recorded } from '@app/core';
import type { ReservationCancelled, ReservationConfirmed, ReservationExpired, SeatMapSection, SeatsHeld, ShowCreated } from '@app/ticketing/contract';

export type SeatStatus = 'available' | 'held' | 'sold';
export type ShowReservationStatus = 'held' | 'confirmed' | 'expired' | 'cancelled' | 'refunded';

/**
 * A row of `ticketing_shows`: one show, its seat map's layout (`sections`, as created: names,
 * prices in cents, rows with their number of seats), how many of its seats are available, held
 * and sold now, and its sales: reservations by status and the revenue of the confirmed ones.
 */
export interface ShowRow {
  show_id: string;
  title: string;
  venue: string;
  starts_at: Date;
  hold_seconds: number;
  sections: SeatMapSection[];
  available: number;
  held: number;
  sold: number;
  reservations_held: number;
  reservations_confirmed: number;
  reservations_expired: number;
  reservations_cancelled: number;
  reservations_refunded: number;
  /** Cents of the confirmed reservations, as PostgreSQL returns a bigint: a string. */
  revenue_cents: string;
}

/** A row of `ticketing_seats`: one seat of a show and its status now. */
export interface SeatRow {
  show_id: string;
  seat_id: string;
  status: SeatStatus;
}

/** A row of `ticketing_show_reservations`: what the sales need of a reservation (its status, its total) to move its show's counts. */
export interface ShowReservationRow {
  reservation_id: string;
  show_id: string;
  status: ShowReservationStatus;
  total_cents: string;
}

type ShowsTable = 'ticketing_shows' | 'ticketing_seats' | 'ticketing_show_reservations';
type ShowsEvent = ShowCreated | SeatsHeld | ReservationConfirmed | ReservationExpired | ReservationCancelled;

/** PostgreSQL takes at most 65,535 parameters in one statement; seats go in as one array each, a chunk at a time. */
const SEATS_PER_INSERT = 10_000;
const RESERVATIONS_PER_INSERT = Math.floor(65_535 / 4);

/**
 * The shows: the list (by start, with counts kept per show so no seat row is counted), each show's
 * seat map with every seat's status (a show has up to 100,000 seats: one row each, inserted in
 * chunks), and each show's sales. One projection, so a show's counts, seats and sales always agree.
 */
export const showsProjection = defineProjection<ShowsEvent, ShowsTable>({
  name: 'ticketing_shows',
  version: 1,
  tables: {
    ticketing_shows: (t) => {
      t.uuid('show_id').primary();
      t.text('title').notNullable();
      t.text('venue').notNullable();
      t.timestamp('starts_at', { useTz: true }).notNullable();
      t.integer('hold_seconds').notNullable();
      t.jsonb('sections').notNullable();
      t.integer('available').notNullable();
      t.integer('held').notNullable();
      t.integer('sold').notNullable();
      t.integer('reservations_held').notNullable();
      t.integer('reservations_confirmed').notNullable();
      t.integer('reservations_expired').notNullable();
      t.integer('reservations_cancelled').notNullable();
      t.integer('reservations_refunded').notNullable();
      t.bigInteger('revenue_cents').notNullable();
      t.index(['starts_at', 'show_id']);
    },
    ticketing_seats: (t) => {
      t.uuid('show_id').notNullable();
      t.text('seat_id').notNullable();
      t.text('status').notNullable();
      t.primary(['show_id', 'seat_id']);
    },
    ticketing_show_reservations: (t) => {
      t.uuid('reservation_id').primary();
      t.uuid('show_id').notNullable();
      t.text('status').notNullable();
      t.bigInteger('total_cents').notNullable();
    },
  },
  eventTypes: ['ShowCreated', 'SeatsHeld', 'ReservationConfirmed', 'ReservationExpired', 'ReservationCancelled'],
  apply: applyBatch,
});

/** Every seat id of a seat map, section by section, row by row, from seat 1 (`<section>-<row>-<number>`, as the show names them). */
export function seatIdsOf(sections: readonly SeatMapSection[]): string[] {
  const ids: string[] = [];
  for (const section of sections) {
    for (const row of section.rows) {
      for (let n = 1; n <= row.seats; n++) ids.push(`${section.name}-${row.name}-${n}`);
    }
  }
  return ids;
}

/**
 * A batch in a few statements, however many events it holds: the shows it creates (their seats in
 * chunks), then the reservations it touches folded in memory in log order from their rows, then
 * each touched seat set to its last status and each show's counts moved by the difference. A
 * seat's status after an event does not depend on its status before (held, sold, or available
 * again), so the batch's last word on each seat is the same as its events one by one; the counts
 * follow the seats' actual changes, and the sales each reservation's move from its first status
 * to its last.
 */
async function applyBatch(events: readonly Recorded<ShowsEvent>[], { trx, tableName }: ProjectionContext<ShowsTable>): Promise<void> {
  const shows = tableName('ticketing_shows');
  const seats = tableName('ticketing_seats');
  const reservations = tableName('ticketing_show_reservations');

  for (const event of events) if (event.type === 'ShowCreated') await createShow(trx, shows, seats, event.data);

  const ids = [...new Set(events.flatMap((event) => (event.type === 'ShowCreated' ? [] : [event.data.reservationId])))];
  if (ids.length === 0) return;
  const before = new Map<string, ShowReservationRow>();
  for (const row of (await trx(reservations).whereIn('reservation_id', ids)) as ShowReservationRow[]) before.set(row.reservation_id, row);
  const after = new Map(before);
  const seatStatus = new Map<string, SeatRow>();
  const setSeats = (showId: string, seatIds: readonly string[], status: SeatStatus) => {
    for (const seatId of seatIds) seatStatus.set(`${showId} ${seatId}`, { show_id: showId, seat_id: seatId, status });
  };
  const move = (reservationId: string, change: Partial<ShowReservationRow>) => {
    const row = after.get(reservationId);
    if (row) after.set(reservationId, { ...row, ...change });
  };
  for (const event of events) {
    switch (event.type) {
      case 'ShowCreated':
        break;
      case 'SeatsHeld': {
        const { data } = event;
        after.set(data.reservationId, { reservation_id: data.reservationId, show_id: data.showId, status: 'held', total_cents: String(data.totalCents) });
        setSeats(data.showId, data.seats, 'held');
        break;
      }
      case 'ReservationConfirmed':
        move(event.data.reservationId, { status: 'confirmed', total_cents: String(event.data.totalCents) });
        setSeats(event.data.showId, event.data.tickets.map((ticket) => ticket.seatId), 'sold');
        break;
      case 'ReservationExpired':
        move(event.data.reservationId, { status: 'expired' });
        setSeats(event.data.showId, event.data.seats, 'available');
        break;
      case 'ReservationCancelled':
        move(event.data.reservationId, { status: event.data.refundedPaymentId ? 'refunded' : 'cancelled' });
        setSeats(event.data.showId, event.data.seats, 'available');
        break;
    }
  }

  const changed = [...after.values()].filter((row) => before.get(row.reservation_id)?.status !== row.status);
  for (let from = 0; from < changed.length; from += RESERVATIONS_PER_INSERT) {
    await trx(reservations).insert(changed.slice(from, from + RESERVATIONS_PER_INSERT)).onConflict('reservation_id').merge();
  }
  await moveSales(trx, shows, salesDeltas(before, changed));
  await moveSeats(trx, shows, seats, [...seatStatus.values()]);
}

async function createShow(trx: ProjectionContext['trx'], shows: string, seats: string, data: ShowCreated['data']): Promise<void> {
  const ids = seatIdsOf(data.sections);
  const created = await trx(shows)
    .insert({
      show_id: data.showId,
      title: data.title,
      venue: data.venue,
      starts_at: new Date(data.startsAt),
      hold_seconds: data.holdSeconds,
      sections: JSON.stringify(data.sections),
      available: ids.length,
      held: 0,
      sold: 0,
      reservations_held: 0,
      reservations_confirmed: 0,
      reservations_expired: 0,
      reservations_cancelled: 0,
      reservations_refunded: 0,
      revenue_cents: 0,
    })
    .onConflict('show_id')
    .ignore()
    .returning('show_id');
  if (created.length === 0) return;
  for (let from = 0; from < ids.length; from += SEATS_PER_INSERT) {
    await trx.raw(`insert into ?? (show_id, seat_id, status) select ?::uuid, id, 'available' from unnest(?::text[]) as id`, [
      seats,
      data.showId,
      ids.slice(from, from + SEATS_PER_INSERT),
    ]);
  }
}

const STATUSES: readonly ShowReservationStatus[] = ['held', 'confirmed', 'expired', 'cancelled', 'refunded'];
type SalesDelta = Record<ShowReservationStatus, number> & { revenue: bigint };

/** Per show, how its reservation counts and revenue move: each changed reservation leaves its first status and takes its last. */
function salesDeltas(before: ReadonlyMap<string, ShowReservationRow>, changed: readonly ShowReservationRow[]): Map<string, SalesDelta> {
  const deltas = new Map<string, SalesDelta>();
  const add = (row: ShowReservationRow, sign: 1 | -1) => {
    const delta = deltas.get(row.show_id) ?? { held: 0, confirmed: 0, expired: 0, cancelled: 0, refunded: 0, revenue: 0n };
    delta[row.status] += sign;
    if (row.status === 'confirmed') delta.revenue += BigInt(sign) * BigInt(row.total_cents);
    deltas.set(row.show_id, delta);
  };
  for (const row of changed) {
    const was = before.get(row.reservation_id);
    if (was) add(was, -1);
    add(row, 1);
  }
  return deltas;
}

async function moveSales(trx: ProjectionContext['trx'], shows: string, deltas: ReadonlyMap<string, SalesDelta>): Promise<void> {
  if (deltas.size === 0) return;
  const list = [...deltas.entries()];
  await trx.raw(
    `update ?? t
        set reservations_held = t.reservations_held + d.held,
            reservations_confirmed = t.reservations_confirmed + d.confirmed,
            reservations_expired = t.reservations_expired + d.expired,
            reservations_cancelled = t.reservations_cancelled + d.cancelled,
            reservations_refunded = t.reservations_refunded + d.refunded,
            revenue_cents = t.revenue_cents + d.revenue
       from unnest(?::uuid[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::bigint[]) as d(show_id, held, confirmed, expired, cancelled, refunded, revenue)
      where t.show_id = d.show_id`,
    [shows, list.map(([showId]) => showId), ...STATUSES.map((status) => list.map(([, delta]) => delta[status])), list.map(([, delta]) => delta.revenue.toString())],
  );
}

/**
 * Sets each seat to its status and moves its show's counts by what actually changed, in one
 * statement: the seats table joined again in FROM reads each seat's status before the update.
 */
async function moveSeats(trx: ProjectionContext['trx'], shows: string, seats: string, changes: readonly SeatRow[]): Promise<void> {
  if (changes.length === 0) return;
  await trx.raw(
    `with c(show_id, seat_id, status) as (select * from unnest(?::uuid[], ?::text[], ?::text[])),
          changed as (
            update ?? s set status = c.status
              from c join ?? o on o.show_id = c.show_id and o.seat_id = c.seat_id
             where s.show_id = c.show_id and s.seat_id = c.seat_id and o.status <> c.status
            returning s.show_id, o.status as was, c.status as became),
          d as (
            select show_id,
                   count(*) filter (where became = 'available') - count(*) filter (where was = 'available') as available,
                   count(*) filter (where became = 'held') - count(*) filter (where was = 'held') as held,
                   count(*) filter (where became = 'sold') - count(*) filter (where was = 'sold') as sold
              from changed group by show_id)
     update ?? t set available = t.available + d.available, held = t.held + d.held, sold = t.sold + d.sold
       from d where t.show_id = d.show_id`,
    [changes.map((c) => c.show_id), changes.map((c) => c.seat_id), changes.map((c) => c.status), seats, seats, shows],
  );
}
