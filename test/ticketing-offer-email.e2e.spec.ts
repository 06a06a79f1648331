import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { createShow, reserve, seatMap } from './fixtures/ticketing.fixture';
import { eventsOfType, streamEvents } from './fixtures/ticketing-log.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

/** Seats that come back to a sold-out show are offered to the first in line, who is emailed. */
describe('ticketing: the waitlist offer and its email', () => {
  let platform: TestApp;
  let staff: Staff;
  let first: TestUser;
  let waiting: TestUser;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    [first, waiting] = await Promise.all([staff.hire('customer'), staff.hire('customer')]);
  });

  afterAll(() => platform?.close());

  it('a cancel offers the seats to the waitlist as a hold, and the outbox holds one email to the customer', async () => {
    const show = await createShow(platform.http, staff.admin, { sections: seatMap(1, 1, 2) });
    const held = await reserve(platform.http, first, show.showId, { section: 'A', quantity: 2 }).expect(201);
    const joined = await platform.http.post(`/ticketing/shows/${show.showId}/waitlist`).set(bearer(waiting)).send({ quantity: 2 }).expect(201);
    expect(joined.body).toMatchObject({ place: 1 });
    const cancelled = await platform.http.post(`/ticketing/reservations/${held.body.reservationId}/cancel`).set(bearer(first)).send().expect(200);
    expect(cancelled.body.status).toBe('cancelled');

    // The offer is decided with the cancel: the seats are the waiting customer's hold at once.
    const stream = await streamEvents(platform, `ticketing-show-${show.showId}`);
    const offer = stream.find((event: { type: string }) => event.type === 'WaitlistOffered')!;
    expect(offer.data).toMatchObject({ waitlistId: joined.body.waitlistId, customerId: waiting.userId });
    const offeredHold = stream.find((event: { type: string; data: { waitlistId: string | null } }) => event.type === 'SeatsHeld' && event.data.waitlistId === joined.body.waitlistId)!;
    expect(offeredHold.data).toMatchObject({ customerId: waiting.userId, seats: ['A-1-1', 'A-1-2'], reservationId: offer.data.reservationId });

    const emails = await eventually(async () => {
      const mine = (await eventsOfType(platform, ['WaitlistOfferEmailed'])).filter((event: { data: { reservationId: string } }) => event.data.reservationId === offer.data.reservationId);
      return mine.length > 0 ? mine : undefined;
    }, 20_000, 'the offer email');
    expect(emails).toHaveLength(1);
    expect(emails[0].data).toMatchObject({ userId: waiting.userId, to: waiting.email, waitlistId: joined.body.waitlistId });
    expect(emails[0].data.text).toContain('A-1-1, A-1-2');
    expect(emails[0].data.text).toContain(offeredHold.data.expiresAt);
  });
});
