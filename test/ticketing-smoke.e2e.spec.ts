import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { confirm, createShow, reserve } from './fixtures/ticketing.fixture';
import type { TestApp } from './support/test-app';

describe('ticketing: smoke', () => {
  let platform: TestApp;
  let staff: Staff;
  let customer: TestUser;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    customer = await staff.hire('customer');
  });

  afterAll(() => platform?.close());

  it('creates, reserves, confirms, cancels', async () => {
    const show = await createShow(platform.http, staff.admin);
    expect(show.seats).toBe(10);
    const held = await reserve(platform.http, customer, show.showId, { seats: ['A-1-1', 'A-1-2'] });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'held', seats: ['A-1-1', 'A-1-2'], total: '20.00' });
    const best = await reserve(platform.http, customer, show.showId, { section: 'A', quantity: 3 });
    expect(best.body.seats).toEqual(['A-1-3', 'A-1-4', 'A-1-5']);
    const taken = await reserve(platform.http, customer, show.showId, { seats: ['A-1-2'] });
    expect(taken.status).toBe(409);
    const paid = await confirm(platform.http, customer, held.body.reservationId);
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('confirmed');
    const cancelled = await platform.http.post(`/ticketing/reservations/${paid.body.reservationId}/cancel`).set(bearer(customer)).send();
    expect(cancelled.body.status).toBe('refunded');
  });
});
