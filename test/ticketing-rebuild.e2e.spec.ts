import { TICKETING_PROJECTIONS } from '../libs/ticketing/src/ticketing.projections';
import { settle } from './fixtures/accounting.fixture';
import { readModelRows, rebuildAll } from './fixtures/projections.fixture';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { confirm, createShow, reserve, seatMap } from './fixtures/ticketing.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

describe('ticketing: rebuilding the read models', () => {
  let platform: TestApp;
  let staff: Staff;
  const http = () => platform.http;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
  });

  afterAll(() => platform?.close());

  async function hold(customer: TestUser, showId: string, seats: string[]): Promise<string> {
    const held = await reserve(http(), customer, showId, { seats });
    expect(held.status).toBe(201);
    return held.body.reservationId;
  }

  async function pay(customer: TestUser, reservationId: string): Promise<void> {
    expect((await confirm(http(), customer, reservationId)).status).toBe(200);
  }

  async function cancel(customer: TestUser, reservationId: string): Promise<void> {
    await http().post(`/ticketing/reservations/${reservationId}/cancel`).set(bearer(customer)).send().expect(200);
  }

  async function waitlistOf(customer: TestUser): Promise<{ status: string }[]> {
    return (await http().get('/ticketing/waitlist/mine').set(bearer(customer)).expect(200)).body;
  }

  /** Every row of every table of every TicketSafe read model, in a stable order. */
  const snapshot = () => readModelRows(platform, TICKETING_PROJECTIONS);

  it('gives the same rows as the live read models after holds, confirms, cancels, an expiry and a waitlist offer', async () => {
    const manager = await staff.hire('manager');
    const [ann, bob, carl, dora] = [await staff.hire('customer'), await staff.hire('customer'), await staff.hire('customer'), await staff.hire('customer')];
    await http().put('/ticketing/customers/me').set(bearer(ann)).send({ fullName: 'Ann Example', email: 'ann@example.org' }).expect(200);

    // A show with a sale, a hold still held, a cancelled hold and a refunded sale.
    const { showId: busy } = await createShow(http(), manager, { sections: seatMap(2, 2, 5) });
    await pay(ann, await hold(ann, busy, ['A-1-1', 'A-1-2']));
    await hold(bob, busy, ['B-1-1']);
    await cancel(ann, await hold(ann, busy, ['A-2-1']));
    const refunded = await hold(bob, busy, ['B-2-1', 'B-2-2']);
    await pay(bob, refunded);
    await cancel(bob, refunded);

    // A sold-out show whose holds last a second: Ann's expires and its seats are offered to Bob,
    // first in line; his offer expires too, and one seat is offered to Carl, whose offer expires.
    // Dora joins and leaves.
    const { showId: quick } = await createShow(http(), manager, { sections: seatMap(1, 1, 2), holdSeconds: 1 });
    await hold(ann, quick, ['A-1-1', 'A-1-2']);
    await http().post(`/ticketing/shows/${quick}/waitlist`).set(bearer(bob)).send({ quantity: 2 }).expect(201);
    await http().post(`/ticketing/shows/${quick}/waitlist`).set(bearer(carl)).send({ quantity: 1 }).expect(201);
    const doras = await http().post(`/ticketing/shows/${quick}/waitlist`).set(bearer(dora)).send({ quantity: 1 }).expect(201);
    await http().delete(`/ticketing/waitlist/${doras.body.waitlistId}`).set(bearer(dora)).expect(200);
    await eventually(async () => (await waitlistOf(bob))[0]?.status === 'expired' && (await waitlistOf(carl))[0]?.status === 'expired', 20_000, 'both offers to expire');

    await settle(platform.app);
    const before = await snapshot();
    const statuses = (before.ticketing_reservations as { status: string }[]).map((r) => r.status);
    expect(new Set(statuses)).toEqual(new Set(['held', 'confirmed', 'expired', 'cancelled', 'refunded']));
    expect((before.ticketing_waitlist as { status: string }[]).map((w) => w.status).sort()).toEqual(['expired', 'expired', 'left']);
    expect(before.ticketing_seats).toHaveLength(22);

    await rebuildAll(platform, staff.admin, TICKETING_PROJECTIONS.map((projection) => projection.name));
    expect(await snapshot()).toEqual(before);
  });
});
