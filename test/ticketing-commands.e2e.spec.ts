import { randomUUID } from 'node:crypto';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { cancelReservation, confirm, createShow, joinWaitlist, leaveWaitlist, reserve, seatMap, showRequest, simulatedPayments } from './fixtures/ticketing.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the clock is past `instant` (an ISO string), with a little margin. */
async function waitPast(instant: string): Promise<void> {
  const wait = Date.parse(instant) - Date.now() + 150;
  if (wait > 0) await sleep(wait);
}

/**
 * TicketSafe's command side through HTTP, as the contract states it: who may do what, every code
 * of the command endpoints with its status, idempotency of reservations and payments, what the
 * simulated provider was charged, and hostile input answered 400, never 500.
 */
describe('ticketing: commands through HTTP', () => {
  let platform: TestApp;
  let staff: Staff;
  let manager: TestUser;
  let worker: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  const http = () => platform.http;
  const payments = () => simulatedPayments(platform.database.url);

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    manager = await staff.hire('manager');
    worker = await staff.hire('worker');
    ann = await staff.hire('customer');
    bob = await staff.hire('customer');
  });

  afterAll(() => platform?.close());

  function expectError(response: { status: number; body: any }, status: number, code: string): any {
    expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
    expect(typeof response.body.error.message).toBe('string');
    return response.body.error.details;
  }

  describe('roles', () => {
    it('admins and managers create shows; workers and customers are 403; no token is 401', async () => {
      const byAdmin = await http().post('/ticketing/shows').set(bearer(staff.admin)).send(showRequest());
      expect(byAdmin.status).toBe(201);
      expect(byAdmin.body).toEqual({ showId: expect.any(String), seats: 10, position: expect.any(String) });
      const byManager = await http().post('/ticketing/shows').set(bearer(manager)).send(showRequest({ sections: seatMap(2, 3, 4) }));
      expect(byManager.status).toBe(201);
      expect(byManager.body.seats).toBe(24);
      expectError(await http().post('/ticketing/shows').set(bearer(worker)).send(showRequest()), 403, 'FORBIDDEN');
      expectError(await http().post('/ticketing/shows').set(bearer(ann)).send(showRequest()), 403, 'FORBIDDEN');
      expectError(await http().post('/ticketing/shows').send(showRequest()), 401, 'UNAUTHENTICATED');
    });

    it('customers reserve, pay for and cancel their own reservations; a logged-out client cannot', async () => {
      const { showId } = await createShow(http(), manager);
      expectError(await http().post(`/ticketing/shows/${showId}/reservations`).send({ seats: ['A-1-1'] }), 401, 'UNAUTHENTICATED');
      const held = await reserve(http(), ann, showId, { seats: ['A-1-1', 'A-2-3'] });
      expect(held.status).toBe(201);
      expect(held.body).toMatchObject({ showId, seats: ['A-1-1', 'A-2-3'], total: '20.00', status: 'held', tickets: [], paymentId: null, waitlistId: null });
      expect(Date.parse(held.body.expiresAt) - Date.parse(held.body.createdAt)).toBe(600_000);
      const paid = await confirm(http(), ann, held.body.reservationId);
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ reservationId: held.body.reservationId, status: 'confirmed', total: '20.00', paymentId: expect.any(String) });
      expect(paid.body.tickets.map((t: { seatId: string }) => t.seatId)).toEqual(['A-1-1', 'A-2-3']);
      const other = await reserve(http(), ann, showId, { section: 'A', quantity: 2 });
      expect(other.body.seats).toEqual(['A-1-2', 'A-1-3']);
      const cancelled = await cancelReservation(http(), ann, other.body.reservationId);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ reservationId: other.body.reservationId, status: 'cancelled', position: expect.any(String) });
    });
  });

  describe('reservations', () => {
    it('TICKETING_SEATS_UNAVAILABLE (409) names exactly the requested seats that are held or sold', async () => {
      const { showId } = await createShow(http(), manager);
      const held = await reserve(http(), ann, showId, { seats: ['A-1-1', 'A-1-2'] });
      await confirm(http(), ann, held.body.reservationId).expect(200);
      await reserve(http(), ann, showId, { seats: ['A-2-5'] }).expect(201);
      const taken = await reserve(http(), bob, showId, { seats: ['A-1-3', 'A-1-2', 'A-2-5', 'A-2-4'] });
      expect(expectError(taken, 409, 'TICKETING_SEATS_UNAVAILABLE').seats).toEqual(['A-1-2', 'A-2-5']);
      // Nothing of the refused request was held: its free seats still are.
      expect((await reserve(http(), bob, showId, { seats: ['A-1-3', 'A-2-4'] })).status).toBe(201);
    });

    it('a section with too few free seats is TICKETING_SEATS_UNAVAILABLE with how many are free', async () => {
      const { showId } = await createShow(http(), manager, { sections: seatMap(1, 1, 3) });
      await reserve(http(), ann, showId, { section: 'A', quantity: 2 }).expect(201);
      const details = expectError(await reserve(http(), bob, showId, { section: 'A', quantity: 2 }), 409, 'TICKETING_SEATS_UNAVAILABLE');
      expect(details).toMatchObject({ seats: [], section: 'A', available: 1 });
    });

    it('best available holds seats side by side in the front row that has them', async () => {
      const { showId } = await createShow(http(), manager, { sections: seatMap(1, 2, 5) });
      await reserve(http(), ann, showId, { seats: ['A-1-3'] }).expect(201);
      expect((await reserve(http(), bob, showId, { section: 'A', quantity: 2 })).body.seats).toEqual(['A-1-1', 'A-1-2']);
      expect((await reserve(http(), bob, showId, { section: 'A', quantity: 3 })).body.seats).toEqual(['A-2-1', 'A-2-2', 'A-2-3']);
    });

    it('TICKETING_UNKNOWN_SEAT (422) for seats or a section not on the map', async () => {
      const { showId } = await createShow(http(), manager);
      const seats = await reserve(http(), ann, showId, { seats: ['A-1-1', 'A-9-1', 'B-1-1', 'A-1-6'] });
      expect(expectError(seats, 422, 'TICKETING_UNKNOWN_SEAT').seats).toEqual(['A-9-1', 'B-1-1', 'A-1-6']);
      expect(expectError(await reserve(http(), ann, showId, { section: 'Z', quantity: 1 }), 422, 'TICKETING_UNKNOWN_SEAT')).toMatchObject({ section: 'Z' });
      // Nothing was held: A-1-1 is free.
      expect((await reserve(http(), bob, showId, { seats: ['A-1-1'] })).status).toBe(201);
    });

    it('TICKETING_TOO_MANY_SEATS (422) above ten seats, either form', async () => {
      const { showId } = await createShow(http(), manager, { sections: seatMap(1, 3, 5) });
      const eleven = [1, 2, 3, 4, 5].map((n) => `A-1-${n}`).concat([1, 2, 3, 4, 5, 6].map((n) => `A-${n <= 5 ? 2 : 3}-${n <= 5 ? n : 1}`));
      expect(expectError(await reserve(http(), ann, showId, { seats: eleven }), 422, 'TICKETING_TOO_MANY_SEATS')).toMatchObject({ asked: 11, max: 10 });
      expectError(await reserve(http(), ann, showId, { section: 'A', quantity: 11 }), 422, 'TICKETING_TOO_MANY_SEATS');
      expect((await reserve(http(), ann, showId, { section: 'A', quantity: 10 })).status).toBe(201);
    });

    it('an unknown show is 404 NOT_FOUND', async () => {
      expectError(await reserve(http(), ann, randomUUID(), { seats: ['A-1-1'] }), 404, 'NOT_FOUND');
      expectError(await reserve(http(), ann, randomUUID(), { section: 'A', quantity: 1 }), 404, 'NOT_FOUND');
      expectError(await joinWaitlist(http(), ann, randomUUID(), 1), 404, 'NOT_FOUND');
    });

    it('TICKETING_SHOW_STARTED (422) once the show has started, for a hold and for the waitlist', async () => {
      const startsAt = new Date(Date.now() + 2000).toISOString();
      const { showId } = await createShow(http(), manager, { startsAt, sections: seatMap(1, 1, 1) });
      await waitPast(startsAt);
      expect(expectError(await reserve(http(), ann, showId, { seats: ['A-1-1'] }), 422, 'TICKETING_SHOW_STARTED')).toMatchObject({ startsAt });
      expectError(await reserve(http(), ann, showId, { section: 'A', quantity: 1 }), 422, 'TICKETING_SHOW_STARTED');
      expectError(await joinWaitlist(http(), ann, showId, 1), 422, 'TICKETING_SHOW_STARTED');
    });

    it('customers racing for one seat: exactly one holds it, the others are 409 naming it', async () => {
      const { showId } = await createShow(http(), manager);
      const racers = [ann, bob, ann, bob, ann, bob];
      const answers = await Promise.all(racers.map((customer) => reserve(http(), customer, showId, { seats: ['A-1-1', 'A-1-2'] })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.error).toMatchObject({ code: 'TICKETING_SEATS_UNAVAILABLE', details: { seats: ['A-1-1', 'A-1-2'] } });
    });

    it('with an Idempotency-Key: the same body again answers the same with Idempotency-Hit and holds once; another body is IDEMPOTENCY_KEY_REUSED', async () => {
      const { showId } = await createShow(http(), manager, { sections: seatMap(1, 1, 2) });
      const key = randomUUID();
      const first = await reserve(http(), ann, showId, { section: 'A', quantity: 1 }, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      expect(first.headers['idempotency-hit']).toBeUndefined();
      const again = await reserve(http(), ann, showId, { quantity: 1, section: 'A' }, { 'Idempotency-Key': key });
      expect(again.status).toBe(201);
      expect(again.headers['idempotency-hit']).toBe('true');
      expect(again.body).toEqual(first.body);
      expectError(await reserve(http(), ann, showId, { section: 'A', quantity: 2 }, { 'Idempotency-Key': key }), 409, 'IDEMPOTENCY_KEY_REUSED');
      // One hold: the show's other seat is still free, and then none is.
      expect((await reserve(http(), bob, showId, { section: 'A', quantity: 1 })).body.seats).toEqual(['A-1-2']);
      expectError(await reserve(http(), bob, showId, { section: 'A', quantity: 1 }), 409, 'TICKETING_SEATS_UNAVAILABLE');
    });
  });

  describe('confirm', () => {
    it('TICKETING_RESERVATION_EXPIRED (409) after expiresAt, and nothing is charged', async () => {
      const { showId } = await createShow(http(), manager, { holdSeconds: 1 });
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1'] }).expect(201)).body;
      expect(Date.parse(held.expiresAt) - Date.parse(held.createdAt)).toBe(1000);
      const before = await payments();
      await waitPast(held.expiresAt);
      const late = await confirm(http(), ann, held.reservationId);
      expect(expectError(late, 409, 'TICKETING_RESERVATION_EXPIRED')).toMatchObject({ reservationId: held.reservationId, expiresAt: held.expiresAt });
      const after = await payments();
      expect([after.charged, after.refunded]).toEqual([before.charged, before.refunded]);
      // The seat returns (the worker expires the hold within a second or two).
      await eventually(async () => (await reserve(http(), bob, showId, { seats: ['A-1-1'] })).status === 201, 10_000, 'the expired seat to be free');
    });

    it('TICKETING_RESERVATION_CANCELLED (409) for a cancelled reservation, nothing charged', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1'] }).expect(201)).body;
      await cancelReservation(http(), ann, held.reservationId).expect(200);
      const before = await payments();
      expectError(await confirm(http(), ann, held.reservationId), 409, 'TICKETING_RESERVATION_CANCELLED');
      expect((await payments()).charged).toBe(before.charged);
    });

    it('TICKETING_PAYMENT_DECLINED (402) with tok_declined; the hold stays, and another key with tok_visa then pays', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1', 'A-1-2'] }).expect(201)).body;
      const before = await payments();
      expect(expectError(await confirm(http(), ann, held.reservationId, 'tok_declined'), 402, 'TICKETING_PAYMENT_DECLINED').reason).toEqual(expect.any(String));
      expect((await payments()).charged).toBe(before.charged);
      // Still held: nobody else gets the seats.
      expect(expectError(await reserve(http(), bob, showId, { seats: ['A-1-2'] }), 409, 'TICKETING_SEATS_UNAVAILABLE').seats).toEqual(['A-1-2']);
      const paid = await confirm(http(), ann, held.reservationId, 'tok_visa');
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ status: 'confirmed', total: '20.00' });
      const after = await payments();
      expect(after.charged).toBe(before.charged + 1);
      expect(after.statusOf.get(paid.body.paymentId)).toBe('charged');
    });

    it('TICKETING_PAYMENT_UNAVAILABLE (502) with tok_error, not kept: the same key again answers 502 again; nothing charged', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1'] }).expect(201)).body;
      const before = await payments();
      const key = randomUUID();
      const failed = await confirm(http(), ann, held.reservationId, 'tok_error', key);
      expectError(failed, 502, 'TICKETING_PAYMENT_UNAVAILABLE');
      const retried = await confirm(http(), ann, held.reservationId, 'tok_error', key);
      expectError(retried, 502, 'TICKETING_PAYMENT_UNAVAILABLE');
      expect(retried.headers['idempotency-hit']).toBeUndefined();
      expect((await payments()).charged).toBe(before.charged);
      const paid = await confirm(http(), ann, held.reservationId, 'tok_visa');
      expect(paid.status).toBe(200);
      expect((await payments()).charged).toBe(before.charged + 1);
    });

    it('without an Idempotency-Key is 400 VALIDATION_FAILED naming the header', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1'] }).expect(201)).body;
      const response = await http().post(`/ticketing/reservations/${held.reservationId}/confirm`).set(bearer(ann)).send({ paymentToken: 'tok_visa' });
      expect(Object.keys(expectError(response, 400, 'VALIDATION_FAILED').fields)).toEqual(['Idempotency-Key']);
    });

    it('the same key twice answers the same status and body with Idempotency-Hit, charged once; another body is IDEMPOTENCY_KEY_REUSED', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1'] }).expect(201)).body;
      const before = await payments();
      const key = randomUUID();
      const first = await confirm(http(), ann, held.reservationId, 'tok_visa', key);
      expect(first.status).toBe(200);
      const again = await confirm(http(), ann, held.reservationId, 'tok_visa', key);
      expect(again.status).toBe(200);
      expect(again.headers['idempotency-hit']).toBe('true');
      expect(again.body).toEqual(first.body);
      expectError(await confirm(http(), ann, held.reservationId, 'tok_mastercard', key), 409, 'IDEMPOTENCY_KEY_REUSED');
      expect((await payments()).charged).toBe(before.charged + 1);
    });

    it('the same key sent twice at once is charged once, and both answer the same', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1'] }).expect(201)).body;
      const before = await payments();
      const key = randomUUID();
      const [one, two] = await Promise.all([confirm(http(), ann, held.reservationId, 'tok_visa', key), confirm(http(), ann, held.reservationId, 'tok_visa', key)]);
      expect([one.status, two.status]).toEqual([200, 200]);
      expect(two.body).toEqual(one.body);
      expect((await payments()).charged).toBe(before.charged + 1);
    });

    it('another customer’s reservation is 404 on confirm and cancel, and is left as it was', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1'] }).expect(201)).body;
      expectError(await confirm(http(), bob, held.reservationId), 404, 'NOT_FOUND');
      expectError(await cancelReservation(http(), bob, held.reservationId), 404, 'NOT_FOUND');
      expectError(await cancelReservation(http(), manager, held.reservationId), 404, 'NOT_FOUND');
      expectError(await confirm(http(), ann, randomUUID()), 404, 'NOT_FOUND');
      expectError(await cancelReservation(http(), ann, randomUUID()), 404, 'NOT_FOUND');
      expect((await confirm(http(), ann, held.reservationId)).body.status).toBe('confirmed');
    });
  });

  describe('cancel', () => {
    it('an admin cancels anyone’s reservation, and its seats return', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1'] }).expect(201)).body;
      const cancelled = await cancelReservation(http(), staff.admin, held.reservationId);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ reservationId: held.reservationId, status: 'cancelled', paymentId: null });
      expect((await reserve(http(), bob, showId, { seats: ['A-1-1'] })).status).toBe(201);
    });

    it('cancelling twice changes nothing', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1'] }).expect(201)).body;
      const first = await cancelReservation(http(), ann, held.reservationId).expect(200);
      const second = await cancelReservation(http(), ann, held.reservationId);
      expect(second.status).toBe(200);
      expect(second.body.status).toBe('cancelled');
      expect(second.body.position).toBe(first.body.position);
    });

    it('a confirmed reservation is refunded: status refunded, the provider’s payment refunded, the seats free again', async () => {
      const { showId } = await createShow(http(), manager);
      const held = (await reserve(http(), ann, showId, { seats: ['A-1-1', 'A-1-2'] }).expect(201)).body;
      const paid = (await confirm(http(), ann, held.reservationId).expect(200)).body;
      expect((await payments()).statusOf.get(paid.paymentId)).toBe('charged');
      const cancelled = await cancelReservation(http(), ann, held.reservationId);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'refunded', paymentId: paid.paymentId, tickets: [] });
      expect((await payments()).statusOf.get(paid.paymentId)).toBe('refunded');
      expect((await reserve(http(), bob, showId, { seats: ['A-1-1', 'A-1-2'] })).status).toBe(201);
      expectError(await confirm(http(), ann, held.reservationId), 409, 'TICKETING_RESERVATION_CANCELLED');
    });
  });

  describe('waitlist', () => {
    it('TICKETING_SEATS_AVAILABLE (409) while enough seats are free', async () => {
      const { showId } = await createShow(http(), manager, { sections: seatMap(1, 1, 3) });
      expect(expectError(await joinWaitlist(http(), ann, showId, 3), 409, 'TICKETING_SEATS_AVAILABLE')).toMatchObject({ quantity: 3, available: 3 });
      await reserve(http(), bob, showId, { seats: ['A-1-1'] }).expect(201);
      expectError(await joinWaitlist(http(), ann, showId, 2), 409, 'TICKETING_SEATS_AVAILABLE');
      const joined = await joinWaitlist(http(), ann, showId, 3);
      expect(joined.status).toBe(201);
      expect(joined.body.place).toBe(1);
    });

    it('a sold-out show’s waitlist gives places 1, 2 in the order of joining; an entry is left by its customer only', async () => {
      const { showId } = await createShow(http(), manager, { sections: seatMap(1, 1, 2) });
      await reserve(http(), bob, showId, { seats: ['A-1-1', 'A-1-2'] }).expect(201);
      const first = await joinWaitlist(http(), ann, showId, 1);
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ waitlistId: expect.any(String), place: 1, position: expect.any(String) });
      const second = await joinWaitlist(http(), bob, showId, 2);
      expect(second.status).toBe(201);
      expect(second.body.place).toBe(2);
      expectError(await leaveWaitlist(http(), bob, first.body.waitlistId), 404, 'NOT_FOUND');
      expectError(await leaveWaitlist(http(), ann, randomUUID()), 404, 'NOT_FOUND');
      const left = await leaveWaitlist(http(), ann, first.body.waitlistId);
      expect(left.status).toBe(200);
      expect(left.body).toEqual({ position: expect.any(String) });
      expect((await joinWaitlist(http(), ann, showId, 1)).body.place).toBe(3);
    });
  });

  describe('waitlist offers', () => {
    it('seats cancelled on a sold-out show are held at once for the first in line whose quantity fits, skipping one that does not', async () => {
      const { showId } = await createShow(http(), manager, { sections: seatMap(1, 1, 3) });
      const one = (await reserve(http(), bob, showId, { seats: ['A-1-1'] }).expect(201)).body;
      const two = (await reserve(http(), bob, showId, { seats: ['A-1-2', 'A-1-3'] }).expect(201)).body;
      const first = (await joinWaitlist(http(), ann, showId, 2).expect(201)).body;
      const second = (await joinWaitlist(http(), worker, showId, 1).expect(201)).body;
      expect([first.place, second.place]).toEqual([1, 2]);
      // One seat returns: the first in line wants two, so the second gets it, held for them.
      await cancelReservation(http(), bob, one.reservationId).expect(200);
      expect(expectError(await reserve(http(), bob, showId, { section: 'A', quantity: 1 }), 409, 'TICKETING_SEATS_UNAVAILABLE')).toMatchObject({ available: 0 });
      // The first leaves the line; two seats return to nobody waiting: they are free to reserve.
      await leaveWaitlist(http(), ann, first.waitlistId).expect(200);
      await cancelReservation(http(), bob, two.reservationId).expect(200);
      expect((await reserve(http(), bob, showId, { section: 'A', quantity: 2 }).expect(201)).body.seats).toEqual(['A-1-2', 'A-1-3']);
    });
  });

  describe('hostile input: 400 VALIDATION_FAILED naming the field, never a 500', () => {
    let showId: string;
    let reservationId: string;

    beforeAll(async () => {
      showId = (await createShow(http(), manager)).showId;
      reservationId = (await reserve(http(), ann, showId, { seats: ['A-2-5'] }).expect(201)).body.reservationId;
    });

    function expectFields(response: { status: number; body: any }, field: string): void {
      const fields = expectError(response, 400, 'VALIDATION_FAILED').fields as Record<string, string[]>;
      expect(Object.keys(fields)).toContain(field);
    }

    it('reservation bodies', async () => {
      const cases: Array<[object, string]> = [
        [{ seats: ['A-1-1'], section: 'A', quantity: 1 }, 'seats'],
        [{ seats: ['A-1-1'], quantity: 1 }, 'seats'],
        [{}, 'seats'],
        [{ seats: 'A-1-1' }, 'seats'],
        [{ seats: [] }, 'seats'],
        [{ seats: ['A-1-1', 'A-1-1'] }, 'seats'],
        [{ seats: [1] }, 'seats'],
        [{ seats: [null] }, 'seats'],
        [{ seats: ['A-1'] }, 'seats'],
        [{ seats: ['A-1-0'] }, 'seats'],
        [{ seats: ['A-1-01'] }, 'seats'],
        [{ seats: ['A-1-1-1'] }, 'seats'],
        [{ seats: ['A--1'] }, 'seats'],
        [{ seats: ['A-1-123456'] }, 'seats'],
        [{ seats: ['Ä-1-1'] }, 'seats'],
        [{ seats: ['A-1-1 '] }, 'seats'],
        [{ seats: null }, 'seats'],
        [{ section: 'A', quantity: 0 }, 'quantity'],
        [{ section: 'A', quantity: 101 }, 'quantity'],
        [{ section: 'A', quantity: '2' }, 'quantity'],
        [{ section: 'A', quantity: null }, 'quantity'],
        [{ section: 'A', quantity: 1.5 }, 'quantity'],
        [{ section: 'A' }, 'quantity'],
        [{ quantity: 2 }, 'section'],
        [{ section: 'A-1', quantity: 2 }, 'section'],
        [{ section: 7, quantity: 2 }, 'section'],
        [{ section: 'A', quantity: 1, extra: true }, 'extra'],
        [{ seats: ['A-1-1'], customerId: bob.userId }, 'customerId'],
      ];
      for (const [body, field] of cases) {
        const response = await reserve(http(), ann, showId, body);
        try {
          expectFields(response, field);
        } catch (error) {
          throw new Error(`${JSON.stringify(body)}: ${response.status} ${JSON.stringify(response.body)}\n${String(error)}`);
        }
      }
      expectFields(await reserve(http(), ann, 'not-a-uuid', { seats: ['A-1-1'] }), 'showId');
      // None of them held a seat.
      expect((await reserve(http(), bob, showId, { section: 'A', quantity: 9 })).status).toBe(201);
    });

    it('show bodies', async () => {
      const [section] = seatMap();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ holdSeconds: 0 }, 'holdSeconds'],
        [{ holdSeconds: 3601 }, 'holdSeconds'],
        [{ holdSeconds: '60' }, 'holdSeconds'],
        [{ holdSeconds: null }, 'holdSeconds'],
        [{ holdSeconds: 1.5 }, 'holdSeconds'],
        [{ sections: [{ ...section, price: '1.234' }] }, 'sections.0.price'],
        [{ sections: [{ ...section, price: '-1' }] }, 'sections.0.price'],
        [{ sections: [{ ...section, price: 1.5 }] }, 'sections.0.price'],
        [{ sections: [{ ...section, price: 10 }] }, 'sections.0.price'],
        [{ sections: [{ ...section, price: '1e3' }] }, 'sections.0.price'],
        [{ sections: [{ ...section, price: '100000.01' }] }, 'sections.0.price'],
        [{ sections: [{ ...section, price: '' }] }, 'sections.0.price'],
        [{ sections: [section, { ...section }] }, 'sections'],
        [{ sections: [{ ...section, rows: [{ name: '1', seats: 5 }, { name: '1', seats: 3 }] }] }, 'sections.0.rows'],
        [{ sections: [] }, 'sections'],
        [{ sections: 'A' }, 'sections'],
        [{ sections: [{ ...section, rows: [] }] }, 'sections.0.rows'],
        [{ sections: [{ ...section, rows: [{ name: '1', seats: 0 }] }] }, 'sections.0.rows.0.seats'],
        [{ sections: [{ ...section, rows: [{ name: '1', seats: 1001 }] }] }, 'sections.0.rows.0.seats'],
        [{ sections: [{ ...section, rows: [{ name: 'a-b', seats: 1 }] }] }, 'sections.0.rows.0.name'],
        [{ sections: [{ ...section, name: 'A-1' }] }, 'sections.0.name'],
        [{ sections: [{ ...section, extra: 1 }] }, 'sections.0.extra'],
        [{ sections: seatMap(2, 101, 500) }, 'sections'],
        [{ startsAt: '2027-03-01T19:30:00+01:00' }, 'startsAt'],
        [{ startsAt: '2027-03-01T19:30:00' }, 'startsAt'],
        [{ startsAt: '2027-03-01' }, 'startsAt'],
        [{ startsAt: '2101-01-01T00:00:00Z' }, 'startsAt'],
        [{ startsAt: 1_800_000_000_000 }, 'startsAt'],
        [{ title: '' }, 'title'],
        [{ venue: 'a\u0000b' }, 'venue'],
        [{ showId: randomUUID() }, 'showId'],
      ];
      for (const [changes, field] of cases) {
        const response = await http().post('/ticketing/shows').set(bearer(manager)).send(showRequest(changes));
        try {
          expectFields(response, field);
        } catch (error) {
          throw new Error(`${JSON.stringify(changes).slice(0, 200)}: ${response.status} ${JSON.stringify(response.body).slice(0, 500)}\n${String(error)}`);
        }
      }
      // The largest show allowed is created.
      const largest = await http().post('/ticketing/shows').set(bearer(manager)).send(showRequest({ sections: seatMap(2, 100, 500) }));
      expect(largest.status).toBe(201);
      expect(largest.body.seats).toBe(100_000);
    });

    it('a startsAt on a day that does not exist, or at 24:00, is 400, not moved to another day', async () => {
      for (const startsAt of ['2027-02-30T19:30:00Z', '2027-04-31T10:00:00Z', '2027-03-01T24:00:00Z']) {
        expectFields(await http().post('/ticketing/shows').set(bearer(manager)).send(showRequest({ startsAt })), 'startsAt');
      }
    });

    it('confirm, waitlist and path parameters', async () => {
      const confirmWith = (body: object) => http().post(`/ticketing/reservations/${reservationId}/confirm`).set({ ...bearer(ann), 'Idempotency-Key': randomUUID() }).send(body);
      expectFields(await confirmWith({}), 'paymentToken');
      expectFields(await confirmWith({ paymentToken: 7 }), 'paymentToken');
      expectFields(await confirmWith({ paymentToken: 'tok_visa', amount: '0.01' }), 'amount');
      expectFields(
        await http().post(`/ticketing/reservations/${reservationId}/confirm`).set({ ...bearer(ann), 'Idempotency-Key': 'x'.repeat(201) }).send({ paymentToken: 'tok_visa' }),
        'Idempotency-Key',
      );
      expectFields(await confirm(http(), ann, 'not-a-uuid'), 'reservationId');
      expectFields(await cancelReservation(http(), ann, 'not-a-uuid'), 'reservationId');
      for (const quantity of [0, 11, '2', null, 1.5]) expectFields(await joinWaitlist(http(), ann, showId, quantity), 'quantity');
      expectFields(await joinWaitlist(http(), ann, 'not-a-uuid', 1), 'showId');
      expectFields(await leaveWaitlist(http(), ann, 'not-a-uuid'), 'waitlistId');
      // The reservation was never charged: it is still held, and pays now.
      expect((await confirm(http(), ann, reservationId)).body.status).toBe('confirmed');
    });
  });
});
