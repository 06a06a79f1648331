import { randomUUID } from 'node:crypto';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { confirm, createShow, reserve, seatMap } from './fixtures/ticketing.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

/** The answer of a command without its position: what the queries answer for the same reservation. */
const withoutPosition = ({ position: _position, ...rest }: Record<string, unknown>) => rest;

describe('ticketing: queries', () => {
  let platform: TestApp;
  let staff: Staff;
  let manager: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  const http = () => platform.http;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    manager = await staff.hire('manager');
    ann = await staff.hire('customer');
    bob = await staff.hire('customer');
  });

  afterAll(() => platform?.close());

  /** A hold that must succeed, its answer. */
  async function hold(customer: TestUser, showId: string, seats: string[]) {
    const held = await reserve(http(), customer, showId, { seats });
    expect(held.status).toBe(201);
    return held.body;
  }

  async function pay(customer: TestUser, reservationId: string) {
    const paid = await confirm(http(), customer, reservationId);
    expect(paid.status).toBe(200);
    return paid.body;
  }

  async function cancel(asker: TestUser, reservationId: string) {
    return (await http().post(`/ticketing/reservations/${reservationId}/cancel`).set(bearer(asker)).send().expect(200)).body;
  }

  function get(path: string, asker: TestUser, query: Record<string, string | number> = {}) {
    return http().get(path).query(query).set(bearer(asker));
  }

  function expectInvalid(response: { status: number; body: { error: { code: string; details: { fields: Record<string, unknown> } } } }, field: string) {
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(response.body.error.details.fields)).toContain(field);
  }

  describe('GET /ticketing/shows', () => {
    // Shows of their own year, so the other tests' shows stay out of `from` onwards.
    let shows: { showId: string; startsAt: string; position: string }[];

    beforeAll(async () => {
      shows = [];
      for (const startsAt of ['2091-01-03T20:00:00.000Z', '2091-01-01T20:00:00.000Z', '2091-01-02T20:00:00.000Z']) {
        shows.push({ ...(await createShow(http(), manager, { startsAt, title: `Gala ${startsAt.slice(0, 10)}` })), startsAt });
      }
      shows.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      await hold(ann, shows[0].showId, ['A-1-1', 'A-1-2']);
    });

    const ids = (body: { items: { showId: string }[] }) => body.items.map((item) => item.showId);
    const last = () => shows.map((s) => s.position).sort().at(-1)!;

    it('lists shows starting at or after `from` (a date: its first instant, UTC), by start, a page at a time, with their seat counts', async () => {
      const { body: first } = await get('/ticketing/shows', ann, { after: last(), from: '2091-01-01', limit: 2 }).expect(200);
      expect(ids(first)).toEqual([shows[0].showId, shows[1].showId]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const next = await get('/ticketing/shows', ann, { from: '2091-01-01', limit: 2, cursor: first.nextCursor }).expect(200);
      expect(ids(next.body)).toEqual([shows[2].showId]);
      expect(next.body.nextCursor).toBeNull();
    });

    it('answers each show with its title, venue, start and the seats available, held and sold', async () => {
      const held = await hold(bob, shows[1].showId, ['A-2-5']);
      const { body } = await get('/ticketing/shows', bob, { after: held.position, from: '2091-01-01' }).expect(200);
      expect(body.items).toEqual([
        { showId: shows[0].showId, title: 'Gala 2091-01-01', venue: 'Main hall', startsAt: '2091-01-01T20:00:00.000Z', available: 8, held: 2, sold: 0 },
        { showId: shows[1].showId, title: 'Gala 2091-01-02', venue: 'Main hall', startsAt: '2091-01-02T20:00:00.000Z', available: 9, held: 1, sold: 0 },
        { showId: shows[2].showId, title: 'Gala 2091-01-03', venue: 'Main hall', startsAt: '2091-01-03T20:00:00.000Z', available: 10, held: 0, sold: 0 },
      ]);
      expect(body.nextCursor).toBeNull();
    });

    it('takes `from` as an instant, with Z or an offset, starts at it included', async () => {
      expect(ids((await get('/ticketing/shows', ann, { from: '2091-01-02T20:00:00Z' }).expect(200)).body)).toEqual([shows[1].showId, shows[2].showId]);
      expect(ids((await get('/ticketing/shows', ann, { from: '2091-01-02T21:00:00.001+01:00' }).expect(200)).body)).toEqual([shows[2].showId]);
      expect(ids((await get('/ticketing/shows', ann, { from: '2091-01-04' }).expect(200)).body)).toEqual([]);
    });

    it('without `from`, lists every show, the earlier ones first', async () => {
      const { body } = await get('/ticketing/shows', ann, { limit: 500 }).expect(200);
      expect(ids(body).slice(-3)).toEqual(shows.map((s) => s.showId));
      const starts = body.items.map((item: { startsAt: string }) => item.startsAt);
      expect([...starts].sort()).toEqual(starts);
    });

    it('refuses a `from`, a `limit` or a `cursor` it cannot read with VALIDATION_FAILED naming it', async () => {
      for (const from of ['2091-13-01', 'tomorrow', '2091-01-01T20:00:00', '1999-12-31']) expectInvalid(await get('/ticketing/shows', ann, { from }), 'from');
      for (const limit of [0, 501, 'ten']) expectInvalid(await get('/ticketing/shows', ann, { limit }), 'limit');
      expectInvalid(await get('/ticketing/shows', ann, { cursor: Buffer.from('nope').toString('base64url') }), 'cursor');
      expectInvalid(await get('/ticketing/shows', ann, { cursor: 'not a cursor!' }), 'cursor');
    });

    it('is for users who are logged in', async () => {
      expect((await http().get('/ticketing/shows').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('a show’s seat map and sales', () => {
    let showId: string;
    let lastPosition: string;
    let reservations: Record<'sold' | 'held' | 'cancelled' | 'refunded', string>;

    // A: 10.00, B: 20.00, each with rows 1 and 2 of 3 seats. Ann buys A-1-1 and A-1-2 (20.00);
    // Bob holds B-1-1; Ann cancels her hold of A-2-1; Bob buys B-2-1 and B-2-2 (40.00) and cancels (refunded).
    beforeAll(async () => {
      ({ showId } = await createShow(http(), manager, { sections: seatMap(2, 2, 3), holdSeconds: 900, title: 'Seat map', startsAt: '2090-06-01T18:00:00.000Z' }));
      const sold = await hold(ann, showId, ['A-1-1', 'A-1-2']);
      await pay(ann, sold.reservationId);
      const held = await hold(bob, showId, ['B-1-1']);
      const cancelled = await hold(ann, showId, ['A-2-1']);
      await cancel(ann, cancelled.reservationId);
      const refunded = await hold(bob, showId, ['B-2-1', 'B-2-2']);
      await pay(bob, refunded.reservationId);
      const refund = await cancel(bob, refunded.reservationId);
      expect(refund.status).toBe('refunded');
      lastPosition = refund.position;
      reservations = { sold: sold.reservationId, held: held.reservationId, cancelled: cancelled.reservationId, refunded: refunded.reservationId };
    });

    it('answers every seat’s status, sections and rows in the order the show was created with, and the counts', async () => {
      const { body } = await get(`/ticketing/shows/${showId}`, bob, { after: lastPosition }).expect(200);
      const seats = (section: string, row: string, statuses: string[]) => ({ name: row, seats: statuses.map((status, i) => ({ seatId: `${section}-${row}-${i + 1}`, status })) });
      expect(body).toEqual({
        showId,
        title: 'Seat map',
        venue: 'Main hall',
        startsAt: '2090-06-01T18:00:00.000Z',
        holdSeconds: 900,
        available: 9,
        held: 1,
        sold: 2,
        sections: [
          { name: 'A', price: '10.00', rows: [seats('A', '1', ['sold', 'sold', 'available']), seats('A', '2', ['available', 'available', 'available'])] },
          { name: 'B', price: '20.00', rows: [seats('B', '1', ['held', 'available', 'available']), seats('B', '2', ['available', 'available', 'available'])] },
        ],
      });
    });

    it('answers the sales to admins and managers: seats, reservations by status, and the revenue of the confirmed ones only', async () => {
      const expected = { showId, sold: 2, held: 1, available: 9, revenue: '20.00', reservations: { held: 1, confirmed: 1, expired: 0, cancelled: 1, refunded: 1 } };
      expect((await get(`/ticketing/shows/${showId}/sales`, manager, { after: lastPosition }).expect(200)).body).toEqual(expected);
      expect((await get(`/ticketing/shows/${showId}/sales`, staff.admin, { after: lastPosition }).expect(200)).body).toEqual(expected);
    });

    it('refuses the sales to customers (403 FORBIDDEN)', async () => {
      expect((await get(`/ticketing/shows/${showId}/sales`, ann).expect(403)).body.error.code).toBe('FORBIDDEN');
    });

    it('answers each reservation’s status as it is now', async () => {
      const statusOf = async (reservationId: string, asker: TestUser) => (await get(`/ticketing/reservations/${reservationId}`, asker, { after: lastPosition }).expect(200)).body.status;
      expect(await statusOf(reservations.sold, ann)).toBe('confirmed');
      expect(await statusOf(reservations.held, bob)).toBe('held');
      expect(await statusOf(reservations.cancelled, ann)).toBe('cancelled');
      expect(await statusOf(reservations.refunded, bob)).toBe('refunded');
    });

    it('answers 404 NOT_FOUND for a show that does not exist, and 400 for an id that is no uuid', async () => {
      const unknown = randomUUID();
      expect((await get(`/ticketing/shows/${unknown}`, ann).expect(404)).body.error.code).toBe('NOT_FOUND');
      expect((await get(`/ticketing/shows/${unknown}/sales`, manager).expect(404)).body.error.code).toBe('NOT_FOUND');
      expectInvalid(await get('/ticketing/shows/nope', ann), 'showId');
    });

    it('a hold that expires: the reservation is expired, its seat available again, and the sales count it', async () => {
      const { showId: quick } = await createShow(http(), manager, { holdSeconds: 1 });
      const held = await hold(ann, quick, ['A-1-1']);
      const expired = await eventually(async () => {
        const { body } = await get(`/ticketing/reservations/${held.reservationId}`, ann).expect(200);
        return body.status === 'expired' ? body : null;
      }, 15_000, 'the hold to expire');
      expect(expired).toMatchObject({ reservationId: held.reservationId, status: 'expired', tickets: [], paymentId: null });
      // The reservations and the shows are two read models: the seat map follows soon after.
      const map = await eventually(async () => {
        const { body } = await get(`/ticketing/shows/${quick}`, ann).expect(200);
        return body.available === 10 ? body : null;
      }, 10_000, 'the seat map to show the seat free');
      expect(map.sections[0].rows[0].seats[0]).toEqual({ seatId: 'A-1-1', status: 'available' });
      expect((await get(`/ticketing/shows/${quick}/sales`, manager).expect(200)).body).toMatchObject({ held: 0, available: 10, reservations: { held: 0, expired: 1 } });
    });
  });

  describe('reservations', () => {
    let carl: TestUser;
    let showId: string;
    let answers: Record<string, unknown>[];

    beforeAll(async () => {
      carl = await staff.hire('customer');
      ({ showId } = await createShow(http(), manager));
      answers = [];
      for (const seats of [['A-1-1'], ['A-1-2', 'A-1-3'], ['A-2-1']]) answers.push(await hold(carl, showId, seats));
      answers[1] = await pay(carl, answers[1].reservationId as string);
    });

    it('GET /ticketing/reservations/mine pages the caller’s reservations newest first, each as the commands answered it', async () => {
      const first = await get('/ticketing/reservations/mine', carl, { after: answers[1].position as string, limit: 2 }).expect(200);
      expect(first.body.items).toEqual([withoutPosition(answers[2]), withoutPosition(answers[1])]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await get('/ticketing/reservations/mine', carl, { limit: 2, cursor: first.body.nextCursor }).expect(200);
      expect(second.body).toEqual({ items: [withoutPosition(answers[0])], nextCursor: null });
      const all = await get('/ticketing/reservations/mine', carl).expect(200);
      expect(all.body.items.map((r: { reservationId: string }) => r.reservationId)).toEqual([answers[2], answers[1], answers[0]].map((a) => a.reservationId));
      expect(all.body.nextCursor).toBeNull();
    });

    it('a confirmed reservation has its tickets and payment; a held one has neither', async () => {
      const { body } = await get(`/ticketing/reservations/${answers[1].reservationId}`, carl).expect(200);
      expect(body).toEqual(withoutPosition(answers[1]));
      expect(body).toMatchObject({ status: 'confirmed', seats: ['A-1-2', 'A-1-3'], total: '20.00', paymentId: expect.any(String), waitlistId: null });
      expect(body.tickets.map((t: { seatId: string }) => t.seatId)).toEqual(['A-1-2', 'A-1-3']);
      expect((await get(`/ticketing/reservations/${answers[0].reservationId}`, carl).expect(200)).body).toMatchObject({ status: 'held', tickets: [], paymentId: null });
    });

    it('lists nothing for a customer without reservations', async () => {
      const dora = await staff.hire('customer');
      expect((await get('/ticketing/reservations/mine', dora).expect(200)).body).toEqual({ items: [], nextCursor: null });
    });

    it('another customer’s reservation is 404 NOT_FOUND, as an unknown id; an admin reads any, a manager does not', async () => {
      const id = answers[0].reservationId as string;
      const notFound = await get(`/ticketing/reservations/${id}`, bob).expect(404);
      expect(notFound.body.error.code).toBe('NOT_FOUND');
      const unknown = await get(`/ticketing/reservations/${randomUUID()}`, bob).expect(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');
      expect((await get(`/ticketing/reservations/${id}`, manager).expect(404)).body.error.code).toBe('NOT_FOUND');
      expect((await get(`/ticketing/reservations/${id}`, staff.admin).expect(200)).body).toEqual(withoutPosition(answers[0]));
    });

    it('refuses a cursor or a limit it cannot read', async () => {
      expectInvalid(await get('/ticketing/reservations/mine', carl, { cursor: Buffer.from('2091-01-01').toString('base64url') }), 'cursor');
      expectInvalid(await get('/ticketing/reservations/mine', carl, { limit: 501 }), 'limit');
    });

    it('shows the customer’s personal data for tickets once given', async () => {
      const erin = await staff.hire('customer');
      const set = await http().put('/ticketing/customers/me').set(bearer(erin)).send({ fullName: 'Erin Example', email: 'erin@example.org' });
      expect(set.status).toBe(200);
      const held = await hold(erin, showId, ['A-2-2']);
      expect((await get(`/ticketing/reservations/${held.reservationId}`, erin, { after: held.position }).expect(200)).body.customer).toEqual({ fullName: 'Erin Example', email: 'erin@example.org' });
      const mine = (await get('/ticketing/reservations/mine', erin, { after: held.position }).expect(200)).body;
      expect(mine.items.map((r: { customer: unknown }) => r.customer)).toEqual([{ fullName: 'Erin Example', email: 'erin@example.org' }]);
    });
  });

  describe('GET /ticketing/waitlist/mine', () => {
    it('lists the caller’s entries: waiting, left, and offered with the hold of seats that came back', async () => {
      const [dan, eve, fay] = [await staff.hire('customer'), await staff.hire('customer'), await staff.hire('customer')];
      const { showId } = await createShow(http(), manager, { sections: seatMap(1, 1, 2) });
      const soldOut = await hold(dan, showId, ['A-1-1', 'A-1-2']);
      const joinedByEve = await http().post(`/ticketing/shows/${showId}/waitlist`).set(bearer(eve)).send({ quantity: 1 }).expect(201);
      const joinedByFay = await http().post(`/ticketing/shows/${showId}/waitlist`).set(bearer(fay)).send({ quantity: 2 }).expect(201);
      const entry = (body: { waitlistId: string; place: number }, quantity: number, status: string, reservationId: string | null = null) => ({
        waitlistId: body.waitlistId,
        showId,
        quantity,
        place: body.place,
        status,
        reservationId,
      });
      expect((await get('/ticketing/waitlist/mine', eve, { after: joinedByFay.body.position }).expect(200)).body).toEqual([entry(joinedByEve.body, 1, 'waiting')]);

      const left = await http().delete(`/ticketing/waitlist/${joinedByEve.body.waitlistId}`).set(bearer(eve)).expect(200);
      expect((await get('/ticketing/waitlist/mine', eve, { after: left.body.position }).expect(200)).body).toEqual([entry(joinedByEve.body, 1, 'left')]);

      // Dan's seats come back: Fay, next in line, is offered both.
      const returned = await cancel(dan, soldOut.reservationId);
      const fays = (await get('/ticketing/waitlist/mine', fay, { after: returned.position }).expect(200)).body;
      expect(fays).toEqual([entry(joinedByFay.body, 2, 'offered', expect.any(String))]);
      const offer = (await get(`/ticketing/reservations/${fays[0].reservationId}`, fay, { after: returned.position }).expect(200)).body;
      expect(offer).toMatchObject({ status: 'held', seats: ['A-1-1', 'A-1-2'], waitlistId: joinedByFay.body.waitlistId });
      expect((await get('/ticketing/waitlist/mine', dan).expect(200)).body).toEqual([]);
    });
  });
});
