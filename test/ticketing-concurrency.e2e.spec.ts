import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { ApiModule } from '../apps/api/api.module';
import { contexts } from '../apps/contexts';
import { bearer, IDENTITY_ENV, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { seededRandom } from './fixtures/ledger.fixture';
import { confirm, createShow, foldShow, hireCustomers, reserve, seatMap, sellOutBestAvailable, sideBySide, TicketingRecords } from './fixtures/ticketing.fixture';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually } from './support/wait';

const MASTER_KEY = { TICKETING_MASTER_KEY: 'ticketing-concurrency-tests-only' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (seats: readonly string[]) => [...seats].sort();

/**
 * What a customer relies on when many race for one show: no seat is ever held or sold twice, a
 * refusal names only seats somebody really holds, a payment is charged once however often it is
 * retried, and money is never kept for seats that were not sold, even when the payment races the
 * hold's expiry. The show's stream (read from the log) is the ground truth the answers are folded
 * against.
 */
describe('ticketing: concurrency and failures', () => {
  const random = seededRandom('ticketing concurrency');
  let platform: TestApp;
  let staff: Staff;
  let customers: TestUser[];
  let records: TicketingRecords;

  beforeAll(async () => {
    platform = await startPlatform({ env: MASTER_KEY });
    staff = await Staff.of(platform.http);
    customers = await hireCustomers(staff, 6);
    records = TicketingRecords.open(platform.database.url);
  }, 60_000);

  afterAll(async () => {
    await records?.close();
    await platform?.close();
  });

  it('200 concurrent reservations for overlapping seats: no seat held twice, every refusal names only seats a hold has, the counts add up', async () => {
    const show = await createShow(platform.http, staff.admin, { sections: seatMap(1, 4, 10) });
    const all = Array.from({ length: 40 }, (_, i) => `A-${Math.floor(i / 10) + 1}-${(i % 10) + 1}`);
    const requests = Array.from({ length: 200 }, () => random.shuffle([...all]).slice(0, random.int(1, 4)));
    const answers = await Promise.all(requests.map((seats, i) => reserve(platform.http, customers[i % customers.length], show.showId, { seats })));

    const unexpected = answers.filter((a) => a.status !== 201 && a.status !== 409).map((a) => `${a.status} ${JSON.stringify(a.body)}`);
    expect(unexpected).toEqual([]);
    const holds = new Map<string, string>();
    answers.forEach((answer, i) => {
      if (answer.status !== 201) return;
      expect(answer.body.status).toBe('held');
      expect(sorted(answer.body.seats)).toEqual(sorted(requests[i]));
      for (const seat of answer.body.seats) {
        expect(holds.get(seat)).toBeUndefined();
        holds.set(seat, answer.body.reservationId);
      }
    });
    const refused = answers.map((answer, i) => ({ answer, asked: requests[i] })).filter(({ answer }) => answer.status === 409);
    for (const { answer, asked } of refused) {
      expect(answer.body.error.code).toBe('TICKETING_SEATS_UNAVAILABLE');
      const named: string[] = answer.body.error.details.seats;
      expect(named.length).toBeGreaterThan(0);
      expect(named.filter((seat) => !asked.includes(seat) || !holds.has(seat))).toEqual([]);
    }
    const held = answers.filter((a) => a.status === 201);
    expect(held.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);

    // The show as its stream has it: exactly the 201s' seats held, the rest free.
    const fold = await records.fold(show.showId);
    expect(fold.capacity).toBe(40);
    expect(new Map([...fold.holders].sort())).toEqual(new Map([...holds].sort()));
    expect(fold.reservations.size).toBe(held.length);
    expect(fold.held).toBe(holds.size);
    expect(fold.sold + fold.held + fold.free).toBe(40);
    expect(fold.free).toBe(40 - holds.size);

    // The show as a customer browses it, read after the last hold: the same seats held, the counts adding up.
    const last = held.map((a) => a.body.position as string).reduce((a, b) => (b > a ? b : a));
    const browsed = await platform.http.get(`/ticketing/shows/${show.showId}`).query({ after: last }).set(bearer(customers[0])).expect(200);
    expect({ available: browsed.body.available, held: browsed.body.held, sold: browsed.body.sold }).toEqual({ available: 40 - holds.size, held: holds.size, sold: 0 });
    const statuses = browsed.body.sections.flatMap((s: any) => s.rows.flatMap((r: any) => r.seats.map((seat: any) => [seat.seatId, seat.status])));
    expect(new Map(statuses)).toEqual(new Map(all.map((seat) => [seat, holds.has(seat) ? 'held' : 'available'])));
  }, 60_000);

  it('best available until sold out: exactly the capacity is held, no seat twice, side by side in a row whenever a row had the run free', async () => {
    const show = await createShow(platform.http, staff.admin, { sections: seatMap(1, 3, 10) });
    // Twelve customers ask at once, each again as soon as answered, until the show has no seat left.
    const { holds: held, unexpected } = await sellOutBestAvailable(12, random, (c, quantity) =>
      reserve(platform.http, customers[c % customers.length], show.showId, { section: 'A', quantity }),
    );
    expect(unexpected).toEqual([]);
    for (const { seats, quantity } of held) expect(seats).toHaveLength(quantity);

    const seats = held.flatMap((h) => h.seats);
    expect(new Set(seats).size).toBe(seats.length);
    expect(seats.length).toBe(30);
    const events = await records.events(show.showId);
    const fold = foldShow(events);
    expect(fold.free).toBe(0);
    expect(fold.held).toBe(30);

    // Replayed in the order the show decided them: a hold for q seats is one run of q side by side
    // whenever some row had q free seats side by side just before it.
    const taken = new Set<string>();
    let checked = 0;
    for (const event of events.filter((e) => e.type === 'SeatsHeld')) {
      const q = event.data.seats.length;
      const rowHadRun = ['1', '2', '3'].some((row) => {
        let run = 0;
        for (let n = 1; n <= 10; n++) {
          run = taken.has(`A-${row}-${n}`) ? 0 : run + 1;
          if (run >= q) return true;
        }
        return false;
      });
      if (rowHadRun) {
        checked += 1;
        expect({ seats: event.data.seats, sideBySide: sideBySide(event.data.seats) }).toEqual({ seats: event.data.seats, sideBySide: true });
      }
      for (const seat of event.data.seats) taken.add(seat);
    }
    expect(checked).toBeGreaterThan(0);
  }, 60_000);

  it('10 confirmations at once with one Idempotency-Key: one answer for all, charged once, confirmed once', async () => {
    const show = await createShow(platform.http, staff.admin, { sections: seatMap(1, 1, 10) });
    const customer = customers[0];
    const held = await reserve(platform.http, customer, show.showId, { seats: ['A-1-3', 'A-1-4'] }).expect(201);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => confirm(platform.http, customer, held.body.reservationId, 'tok_visa', key)));

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect(answers[0].body).toMatchObject({ status: 'confirmed', seats: ['A-1-3', 'A-1-4'], total: '20.00' });
    expect(answers.filter((a) => a.headers['idempotency-hit'] === 'true')).toHaveLength(9);

    const events = (await records.events(show.showId)).filter((e) => e.data.reservationId === held.body.reservationId);
    expect(events.filter((e) => e.type === 'ReservationConfirmed')).toHaveLength(1);
    const started = events.filter((e) => e.type === 'ReservationPaymentStarted').map((e) => e.data.paymentKey);
    expect(started).toHaveLength(1);
    const payments = await records.payments(started);
    expect([...payments.values()]).toEqual([{ status: 'charged', paymentId: answers[0].body.paymentId, amountCents: 2000 }]);
  });

  it('10 confirmations at once with different keys on one reservation: confirmed once, one charge kept, every other refunded', async () => {
    const show = await createShow(platform.http, staff.admin, { sections: seatMap(1, 1, 10) });
    const customer = customers[1];
    const held = await reserve(platform.http, customer, show.showId, { seats: ['A-1-7'] }).expect(201);
    const answers = await Promise.all(Array.from({ length: 10 }, () => confirm(platform.http, customer, held.body.reservationId, 'tok_visa', randomUUID())));

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(new Set(answers.map((a) => a.body.status))).toEqual(new Set(['confirmed']));
    expect(new Set(answers.map((a) => a.body.paymentId)).size).toBe(1);

    const events = (await records.events(show.showId)).filter((e) => e.data.reservationId === held.body.reservationId);
    const confirmations = events.filter((e) => e.type === 'ReservationConfirmed');
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0].data.paymentId).toBe(answers[0].body.paymentId);
    const money = await eventually(async () => {
      const m = (await records.money(show.showId)).get(held.body.reservationId)!;
      return m.kept.length === 1 ? m : null;
    }, 10_000, 'only one charge kept');
    expect(money.kept).toEqual([confirmations[0].data.paymentKey]);
    const payments = await records.payments(money.started);
    for (const key of money.started) if (key !== money.confirmedKey) expect(['refunded', 'voided']).toContain(payments.get(key)?.status);
    expect(payments.get(money.confirmedKey!)).toMatchObject({ status: 'charged', paymentId: answers[0].body.paymentId });
  });

  it('payments racing their holds’ expiry: each reservation is confirmed with one charge kept, or expired with no money kept', async () => {
    const show = await createShow(platform.http, staff.admin, { sections: seatMap(1, 2, 10), holdSeconds: 1 });
    const pairs = Array.from({ length: 10 }, (_, i) => [`A-${Math.floor(i / 5) + 1}-${(i % 5) * 2 + 1}`, `A-${Math.floor(i / 5) + 1}-${(i % 5) * 2 + 2}`]);
    const holds = await Promise.all(pairs.map((seats, i) => reserve(platform.http, customers[i % customers.length], show.showId, { seats }).expect(201)));
    // Two confirmations per reservation, each with a key of its own, at random moments from 250 ms before its expiresAt to 250 ms after.
    const offsets = holds.map(() => [random.int(-250, 250), random.int(-250, 250)]);
    const answers = await Promise.all(
      holds.map((hold, i) =>
        Promise.all(
          offsets[i].map(async (offset) => {
            await sleep(Math.max(0, Date.parse(hold.body.expiresAt) + offset - Date.now()));
            return confirm(platform.http, customers[i % customers.length], hold.body.reservationId, 'tok_visa', randomUUID());
          }),
        ),
      ),
    );

    const unexpected = answers.flat().filter((a) => !(a.status === 200 && a.body.status === 'confirmed') && !(a.status === 409 && a.body.error.code === 'TICKETING_RESERVATION_EXPIRED'));
    expect(unexpected.map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);

    // Every hold ends (the worker expires those not confirmed), and every payment that sold nothing is given back.
    const ended = await eventually(async () => {
      const fold = await records.fold(show.showId);
      return [...fold.reservations.values()].every((r) => r.status !== 'held') ? fold : null;
    }, 15_000, 'every hold confirmed or expired');
    const money = await eventually(async () => {
      const m = await records.money(show.showId);
      return [...m.values()].every((r) => r.kept.length === (r.confirmedKey ? 1 : 0)) ? m : null;
    }, 15_000, 'no money kept for seats not sold');
    const events = await records.events(show.showId);

    const outcomes = { confirmed: 0, expired: 0, refundedPayments: 0 };
    holds.forEach((hold, i) => {
      const id = hold.body.reservationId;
      const status = ended.reservations.get(id)!.status;
      const paid = answers[i].filter((a) => a.status === 200);
      const label = { reservation: id, offsets: offsets[i], answers: answers[i].map((a: Response) => a.status), status };
      // Confirmed exactly when some confirmation answered 200; never a 200 for a hold that expired.
      expect({ ...label, confirmed: status === 'confirmed' }).toEqual({ ...label, confirmed: paid.length > 0 });
      expect(['confirmed', 'expired']).toContain(status);
      outcomes[status as 'confirmed' | 'expired'] += 1;
      outcomes.refundedPayments += money.get(id)!.started.length - money.get(id)!.kept.length;
      const mine = events.filter((e) => e.data.reservationId === id);
      if (status === 'confirmed') {
        const [confirmation, ...more] = mine.filter((e) => e.type === 'ReservationConfirmed');
        expect(more).toEqual([]);
        expect(mine.filter((e) => e.type === 'ReservationExpired')).toEqual([]);
        expect(Date.parse(confirmation.data.confirmedAt)).toBeLessThan(Date.parse(hold.body.expiresAt));
        expect(new Set(paid.map((a) => a.body.paymentId))).toEqual(new Set([confirmation.data.paymentId]));
        expect(money.get(id)!.kept).toEqual([confirmation.data.paymentKey]);
      } else {
        expect(mine.filter((e) => e.type === 'ReservationConfirmed')).toEqual([]);
        expect(money.get(id)!.kept).toEqual([]);
      }
    });
    console.log(`payments racing expiry: ${outcomes.confirmed} confirmed, ${outcomes.expired} expired, ${outcomes.refundedPayments} started payments given back`);
  }, 60_000);

  it('a hold of 1 second expires within 2 seconds of its expiresAt, and its seats can be reserved again', async () => {
    const show = await createShow(platform.http, staff.admin, { sections: seatMap(1, 1, 4), holdSeconds: 1 });
    const held = await reserve(platform.http, customers[2], show.showId, { seats: ['A-1-2', 'A-1-3'] }).expect(201);
    const expired = await eventually(async () => (await records.events(show.showId)).find((e) => e.type === 'ReservationExpired' && e.data.reservationId === held.body.reservationId), 15_000, 'the hold to expire');
    expect(Date.parse(expired.data.expiredAt)).toBeGreaterThanOrEqual(Date.parse(held.body.expiresAt));
    expect(Date.parse(expired.data.expiredAt) - Date.parse(held.body.expiresAt)).toBeLessThanOrEqual(2000);
    expect(expired.data.seats).toEqual(['A-1-2', 'A-1-3']);
    const again = await reserve(platform.http, customers[3], show.showId, { seats: ['A-1-2', 'A-1-3'] });
    expect(again.status).toBe(201);
    expect(again.body.status).toBe('held');
  });

  it('the waitlist: seats a cancel returns are offered to the first in line, and when that offer expires, to the next', async () => {
    const show = await createShow(platform.http, staff.admin, { sections: seatMap(1, 1, 2), holdSeconds: 2 });
    const [a, b, c] = customers;
    const sold = await reserve(platform.http, a, show.showId, { seats: ['A-1-1', 'A-1-2'] }).expect(201);
    await confirm(platform.http, a, sold.body.reservationId).expect(200);
    const joinedB = await platform.http.post(`/ticketing/shows/${show.showId}/waitlist`).set({ Authorization: `Bearer ${b.token}` }).send({ quantity: 2 }).expect(201);
    const joinedC = await platform.http.post(`/ticketing/shows/${show.showId}/waitlist`).set({ Authorization: `Bearer ${c.token}` }).send({ quantity: 2 }).expect(201);
    expect([joinedB.body.place, joinedC.body.place]).toEqual([1, 2]);

    const cancelled = await platform.http.post(`/ticketing/reservations/${sold.body.reservationId}/cancel`).set({ Authorization: `Bearer ${a.token}` }).send().expect(200);
    expect(cancelled.body.status).toBe('refunded');
    const offered = await records.fold(show.showId);
    const entryB = offered.waitlist.get(joinedB.body.waitlistId)!;
    expect(entryB).toMatchObject({ customerId: b.userId, status: 'offered' });
    expect(offered.reservations.get(entryB.reservationId!)).toMatchObject({ customerId: b.userId, status: 'held', waitlistId: joinedB.body.waitlistId, seats: ['A-1-1', 'A-1-2'] });
    expect(offered.waitlist.get(joinedC.body.waitlistId)).toMatchObject({ status: 'waiting', reservationId: null });
    // As B and C see their places in line, read after the cancel.
    const lineOf = async (customer: TestUser, waitlistId: string) =>
      ((await platform.http.get('/ticketing/waitlist/mine').query({ after: cancelled.body.position }).set(bearer(customer)).expect(200)).body as any[]).find((e) => e.waitlistId === waitlistId);
    expect(await lineOf(b, joinedB.body.waitlistId)).toMatchObject({ showId: show.showId, quantity: 2, place: 1, status: 'offered', reservationId: entryB.reservationId });
    expect(await lineOf(c, joinedC.body.waitlistId)).toMatchObject({ showId: show.showId, quantity: 2, place: 2, status: 'waiting', reservationId: null });
    const offer = await platform.http.get(`/ticketing/reservations/${entryB.reservationId}`).query({ after: cancelled.body.position }).set(bearer(b)).expect(200);
    expect(offer.body).toMatchObject({ status: 'held', seats: ['A-1-1', 'A-1-2'] });

    // B does not pay: the offer runs out, and the seats go to C.
    const next = await eventually(async () => {
      const fold = await records.fold(show.showId);
      return fold.waitlist.get(joinedC.body.waitlistId)!.status === 'offered' ? fold : null;
    }, 15_000, 'C to be offered the seats');
    expect(next.reservations.get(entryB.reservationId!)!.status).toBe('expired');
    expect(next.waitlist.get(joinedB.body.waitlistId)!.status).toBe('expired');
    const entryC = next.waitlist.get(joinedC.body.waitlistId)!;
    expect(next.reservations.get(entryC.reservationId!)).toMatchObject({ customerId: c.userId, status: 'held', waitlistId: joinedC.body.waitlistId, seats: ['A-1-1', 'A-1-2'] });
    // C's offer is C's to pay for.
    const paid = await confirm(platform.http, c, entryC.reservationId!);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'confirmed', seats: ['A-1-1', 'A-1-2'] });
  }, 60_000);
});

/**
 * `expiresAt` is authoritative: with no worker running (so nothing has expired the hold yet), a
 * confirmation that arrives after it is refused and nothing is charged.
 */
describe('ticketing: a confirmation after expiresAt, before any worker expired the hold', () => {
  let api: TestApp;
  let records: TicketingRecords;

  beforeAll(async () => {
    Object.assign(process.env, IDENTITY_ENV);
    api = await startTestApp({ imports: [ApiModule], contexts, env: MASTER_KEY });
    records = TicketingRecords.open(api.database.url);
  }, 60_000);

  afterAll(async () => {
    await records?.close();
    await api?.close();
  });

  it('answers 409 TICKETING_RESERVATION_EXPIRED and keeps no money', async () => {
    const staff = await Staff.of(api.http);
    const customer = await staff.hire('customer');
    const show = await createShow(api.http, staff.admin, { sections: seatMap(1, 1, 4), holdSeconds: 1 });
    const held = await reserve(api.http, customer, show.showId, { seats: ['A-1-1'] }).expect(201);
    await sleep(Date.parse(held.body.expiresAt) - Date.now() + 50);
    const late = await confirm(api.http, customer, held.body.reservationId);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('TICKETING_RESERVATION_EXPIRED');
    const events = await records.events(show.showId);
    expect(events.map((e) => e.type)).toEqual(['ShowCreated', 'SeatsHeld']);
    expect((await records.money(show.showId)).get(held.body.reservationId)!.kept).toEqual([]);
    // Still held on the map until a worker expires it, but never sold.
    expect(foldShow(events).holders.get('A-1-1')).toBe(held.body.reservationId);
  });
});
