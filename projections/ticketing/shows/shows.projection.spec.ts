import type { SeatMapSection, ShowEvent } from '@app/ticketing/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { seatIdsOf, showsProjection } from './shows.projection';
import { showsQueries } from './shows.queries';

const recorded = recorder<ShowEvent>((event) => `ticketing-show-${event.data.showId}`);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const S1 = uuid(1);
const S2 = uuid(2);
const S3 = uuid(3);
const [R1, R2, R3, R4, R5] = [11, 12, 13, 14, 15].map(uuid);
const CUSTOMER = 'customer-1';

// A: 10.00 a seat, rows 1 (3 seats) and 2 (2 seats); B: 20.00, one row of 2.
const sections: SeatMapSection[] = [
  { name: 'A', priceCents: 1000, rows: [{ name: '1', seats: 3 }, { name: '2', seats: 2 }] },
  { name: 'B', priceCents: 2000, rows: [{ name: '1', seats: 2 }] },
];

const created = (showId: string, startsAt: string, map: SeatMapSection[] = sections, title = `Show ${showId.slice(-2)}`) =>
  recorded('ShowCreated', { showId, title, venue: 'Main hall', startsAt, holdSeconds: 600, sections: map, createdBy: 'admin', createdAt: '2027-01-01T00:00:00.000Z' });
const held = (showId: string, reservationId: string, seats: string[], totalCents: number) =>
  recorded('SeatsHeld', { showId, reservationId, customerId: CUSTOMER, seats, totalCents, heldAt: '2027-01-02T10:00:00.000Z', expiresAt: '2027-01-02T10:10:00.000Z', waitlistId: null });
const confirmed = (showId: string, reservationId: string, seats: string[], totalCents: number) =>
  recorded('ReservationConfirmed', {
    showId,
    reservationId,
    customerId: CUSTOMER,
    paymentId: uuid(100 + Number(reservationId.slice(-2))),
    paymentKey: `key-${reservationId}`,
    tickets: seats.map((seatId, i) => ({ ticketId: uuid(200 + i), seatId })),
    totalCents,
    confirmedAt: '2027-01-02T10:01:00.000Z',
  });
const expired = (showId: string, reservationId: string, seats: string[]) =>
  recorded('ReservationExpired', { showId, reservationId, customerId: CUSTOMER, seats, waitlistId: null, expiredAt: '2027-01-02T10:10:00.000Z' });
const cancelled = (showId: string, reservationId: string, seats: string[], refundedPaymentId: string | null) =>
  recorded('ReservationCancelled', { showId, reservationId, customerId: CUSTOMER, seats, refundedPaymentId, cancelledAt: '2027-01-02T10:05:00.000Z' });

// R1 confirmed (20.00); R2's hold expired and B-1-1 was held again by R3, then cancelled; R4
// confirmed (20.00) then cancelled with a refund; R5 still holds B-1-2. S2 has one hold; S3 none.
const events = [
  created(S1, '2027-03-01T19:30:00.000Z'),
  created(S2, '2027-02-01T19:30:00.000Z'),
  held(S1, R1, ['A-1-1', 'A-1-2'], 2000),
  held(S1, R2, ['B-1-1'], 2000),
  confirmed(S1, R1, ['A-1-1', 'A-1-2'], 2000),
  expired(S1, R2, ['B-1-1']),
  held(S1, R3, ['B-1-1'], 2000),
  cancelled(S1, R3, ['B-1-1'], null),
  held(S1, R4, ['A-2-1', 'A-2-2'], 2000),
  confirmed(S1, R4, ['A-2-1', 'A-2-2'], 2000),
  cancelled(S1, R4, ['A-2-1', 'A-2-2'], uuid(114)),
  held(S1, R5, ['B-1-2'], 2000),
  held(S2, uuid(21), ['A-1-3'], 1000),
  created(S3, '2027-03-01T19:30:00.000Z'),
];

const expectedSeats = {
  [S1]: { 'A-1-1': 'sold', 'A-1-2': 'sold', 'A-1-3': 'available', 'A-2-1': 'available', 'A-2-2': 'available', 'B-1-1': 'available', 'B-1-2': 'held' },
  [S2]: { 'A-1-1': 'available', 'A-1-2': 'available', 'A-1-3': 'held', 'A-2-1': 'available', 'A-2-2': 'available', 'B-1-1': 'available', 'B-1-2': 'available' },
};

const counts = (available: number, heldSeats: number, sold: number) => ({ available, held: heldSeats, sold });
const sales = (reservations: [number, number, number, number, number], revenue: number) => ({
  reservations_held: reservations[0],
  reservations_confirmed: reservations[1],
  reservations_expired: reservations[2],
  reservations_cancelled: reservations[3],
  reservations_refunded: reservations[4],
  revenue_cents: String(revenue),
});

/** What the checks read of a read model under test. */
interface ReadModel {
  readonly knex: ReturnType<typeof readModelUnderTest>['knex'];
  rows(table: keyof typeof showsProjection.tables, generation: 'served', orderBy: string): Promise<Record<string, unknown>[]>;
}

async function seatsOf(readModel: ReadModel, showId: string): Promise<Record<string, string>> {
  const rows = await readModel.knex('ticketing_seats').where({ show_id: showId }).select('seat_id', 'status');
  return Object.fromEntries(rows.map((row: { seat_id: string; status: string }) => [row.seat_id, row.status]));
}

/** Every row of every table, in a stable order: what must not depend on how the events were batched. */
async function everything(readModel: ReadModel) {
  return {
    shows: await readModel.rows('ticketing_shows', 'served', 'show_id'),
    seats: await readModel.knex('ticketing_seats').orderBy(['show_id', 'seat_id']),
    reservations: await readModel.rows('ticketing_show_reservations', 'served', 'reservation_id'),
  };
}

function checksTheRows(readModel: ReadModel) {
  it('keeps every seat’s status: held, sold, and available again after an expiry or a cancel', async () => {
    expect(await seatsOf(readModel, S1)).toEqual(expectedSeats[S1]);
    expect(await seatsOf(readModel, S2)).toEqual(expectedSeats[S2]);
  });

  it('keeps each show’s seat counts, equal to its seats', async () => {
    const shows = await readModel.rows('ticketing_shows', 'served', 'show_id');
    expect(shows.map((row) => ({ show_id: row.show_id, available: row.available, held: row.held, sold: row.sold }))).toEqual([
      { show_id: S1, ...counts(4, 1, 2) },
      { show_id: S2, ...counts(6, 1, 0) },
      { show_id: S3, ...counts(7, 0, 0) },
    ]);
  });

  it('keeps each show’s reservations by status and the revenue of the confirmed ones, a refunded one taken out', async () => {
    const shows = await readModel.rows('ticketing_shows', 'served', 'show_id');
    expect(shows[0]).toMatchObject(sales([1, 1, 1, 1, 1], 2000));
    expect(shows[1]).toMatchObject(sales([1, 0, 0, 0, 0], 0));
    expect(shows[2]).toMatchObject(sales([0, 0, 0, 0, 0], 0));
  });
}

describe('ticketing shows read model', () => {
  it('reads the show’s creation and the events that move its seats', () => {
    expect(showsProjection.eventTypes).toEqual(['ShowCreated', 'SeatsHeld', 'ReservationConfirmed', 'ReservationExpired', 'ReservationCancelled']);
    expect(Object.keys(showsProjection.tables)).toEqual(['ticketing_shows', 'ticketing_seats', 'ticketing_show_reservations']);
  });

  it('names the seats of a map section by section, row by row, from 1', () => {
    expect(seatIdsOf(sections)).toEqual(['A-1-1', 'A-1-2', 'A-1-3', 'A-2-1', 'A-2-2', 'B-1-1', 'B-1-2']);
  });

  describe('the events in one batch', () => {
    const readModel = readModelUnderTest(showsProjection, { batches: [events] });
    const queries = () => readModel.queries(showsQueries);

    checksTheRows(readModel);

    it('keeps the show as created: title, venue, start, hold and the seat map’s layout', async () => {
      expect(await queries().byId(S1)).toMatchObject({
        show_id: S1,
        title: 'Show 01',
        venue: 'Main hall',
        starts_at: new Date('2027-03-01T19:30:00.000Z'),
        hold_seconds: 600,
        sections,
      });
      expect(await queries().byId(uuid(99))).toBeNull();
    });

    it('answers a show with its seats’ statuses, null for no such show', async () => {
      const found = await queries().withSeats(S1);
      expect(found?.show).toMatchObject({ show_id: S1, ...counts(4, 1, 2) });
      expect(Object.fromEntries(found!.seats)).toEqual(expectedSeats[S1]);
      expect(await queries().withSeats(uuid(99))).toBeNull();
    });

    it('pages shows by start then id, from an instant on', async () => {
      const ids = (page: { rows: { show_id: string }[] }) => page.rows.map((row) => row.show_id);
      const all = await queries().page({ limit: 10 });
      expect(ids(all)).toEqual([S2, S1, S3]);
      expect(all.next).toBeUndefined();
      expect(all.rows[0]).toEqual({ show_id: S2, title: 'Show 02', venue: 'Main hall', starts_at: new Date('2027-02-01T19:30:00.000Z'), ...counts(6, 1, 0) });

      const first = await queries().page({ limit: 2 });
      expect(ids(first)).toEqual([S2, S1]);
      expect(first.next).toEqual({ startsAt: new Date('2027-03-01T19:30:00.000Z'), showId: S1 });
      const second = await queries().page({ limit: 2, cursor: first.next });
      expect(ids(second)).toEqual([S3]);
      expect(second.next).toBeUndefined();

      expect(ids(await queries().page({ from: new Date('2027-03-01T19:30:00.000Z'), limit: 10 }))).toEqual([S1, S3]);
      expect(ids(await queries().page({ from: new Date('2027-03-01T19:30:00.001Z'), limit: 10 }))).toEqual([]);
      expect(ids(await queries().page({ from: new Date('2027-02-01T00:00:00.000Z'), limit: 1, cursor: { startsAt: new Date('2027-02-01T19:30:00.000Z'), showId: S2 } }))).toEqual([S1]);
    });
  });

  describe('the same events one batch each', () => {
    const readModel = readModelUnderTest(showsProjection);
    const batched = readModelUnderTest(showsProjection, { batches: [events] });

    beforeAll(() => readModel.applyEachAlone(events));

    checksTheRows(readModel);

    it('gives the same rows as one batch', async () => {
      expect(await everything(readModel)).toEqual(await everything(batched));
    });
  });

  describe('the same events in batches that split a hold from its confirmation and a confirmation from its refund', () => {
    const readModel = readModelUnderTest(showsProjection, { batches: [events.slice(0, 4), events.slice(4, 9), events.slice(9, 10), events.slice(10)] });

    checksTheRows(readModel);
  });

  describe('a show of 100,000 seats', () => {
    const big: SeatMapSection[] = [
      { name: 'P', priceCents: 4990, rows: Array.from({ length: 60 }, (_, r) => ({ name: String(r + 1), seats: 1000 })) },
      { name: 'Q', priceCents: 2990, rows: Array.from({ length: 40 }, (_, r) => ({ name: String(r + 1), seats: 1000 })) },
    ];
    const S9 = uuid(9);
    const readModel = readModelUnderTest(showsProjection, {
      batches: [[created(S9, '2027-05-01T19:30:00.000Z', big), held(S9, uuid(91), ['Q-40-1000', 'P-1-1'], 7980), confirmed(S9, uuid(91), ['Q-40-1000', 'P-1-1'], 7980)]],
    });

    it('has a row for every seat (more than one statement’s parameters), and its counts', async () => {
      const [{ count }] = await readModel.knex('ticketing_seats').where({ show_id: S9 }).count({ count: '*' });
      expect(Number(count)).toBe(100_000);
      const found = await readModel.queries(showsQueries).withSeats(S9);
      expect(found?.show).toMatchObject({ ...counts(99_998, 0, 2), ...sales([0, 1, 0, 0, 0], 7980) });
      expect(found?.seats.get('Q-40-1000')).toBe('sold');
      expect(found?.seats.get('P-60-1000')).toBe('available');
    });
  });
});
