import { ApiModule } from '../apps/api/api.module';
import { contexts } from '../apps/contexts';
import { IDENTITY_ENV, Staff, type TestUser } from './fixtures/identity.fixture';
import { confirm, createShow, hireCustomers, reserve, seatMap, TicketingRecords } from './fixtures/ticketing.fixture';
import { exited } from './support/child-process';
import { AppProcesses } from './support/processes';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';

const MASTER_KEY = 'ticketing-takeover-tests-only';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worker that expires holds dies (SIGKILL, no shutdown) while holds are coming due, and
 * another worker takes over: every hold that was due expires exactly once (its seats return once),
 * none is lost, and a confirmed one is never expired.
 */
describe('ticketing: a worker killed while holds expire, and another taking over', () => {
  let database: TestDatabase;
  let api: TestApp;
  let staff: Staff;
  let customers: TestUser[];
  let records: TicketingRecords;
  let workers: AppProcesses;

  beforeAll(async () => {
    database = await createTestDatabase('ticketing_takeover');
    Object.assign(process.env, IDENTITY_ENV);
    // The api in this process runs no worker: only the worker processes expire holds.
    api = await startTestApp({ imports: [ApiModule], contexts, database, env: { TICKETING_MASTER_KEY: MASTER_KEY } });
    workers = new AppProcesses(database.url, { ...IDENTITY_ENV, TICKETING_MASTER_KEY: MASTER_KEY, EVENT_STORE_POOL_SIZE: '4', READ_MODEL_POOL_SIZE: '2' });
    staff = await Staff.of(api.http);
    customers = await hireCustomers(staff, 3);
    records = TicketingRecords.open(database.url);
  }, 60_000);

  afterAll(async () => {
    await workers?.stop();
    await records?.close();
    await api?.close({ keepDatabase: true });
    await database?.drop();
  }, 60_000);

  it('every due hold is expired exactly once, none lost, none confirmed expired', async () => {
    const doomed = await workers.startWorker();
    const show = await createShow(api.http, staff.admin, { sections: seatMap(1, 6, 10), holdSeconds: 2 });
    // The worker dies as soon as it has expired the first hold (watched while the holds are being made).
    const killed = eventually(async () => (await records.events(show.showId)).some((e) => e.type === 'ReservationExpired'), 30_000, 'the first expiry').then(async () => {
      doomed.child.kill('SIGKILL');
      await exited(doomed.child);
      return records.fold(show.showId);
    });
    // Three waves of 15 holds, 700 ms apart, so they come due over about 1.5 s; a few of each wave are paid for.
    const holds: { reservationId: string; expiresAt: string; confirmed: boolean }[] = [];
    for (let wave = 0; wave < 3; wave++) {
      const made = await Promise.all(
        Array.from({ length: 15 }, (_, i) => {
          const n = wave * 20 + i + 1;
          const seats = [`A-${Math.ceil(n / 10)}-${((n - 1) % 10) + 1}`];
          return reserve(api.http, customers[i % customers.length], show.showId, { seats }).expect(201);
        }),
      );
      const paid = made.map((_, i) => i % 5 === 0);
      await Promise.all(made.map((hold, i) => (paid[i] ? confirm(api.http, customers[i % customers.length], hold.body.reservationId).expect(200) : null)));
      made.forEach((hold, i) => holds.push({ reservationId: hold.body.reservationId, expiresAt: hold.body.expiresAt, confirmed: paid[i] }));
      await sleep(700);
    }

    const atKill = await killed;
    expect(doomed.child.signalCode).toBe('SIGKILL');
    // Let the remaining holds come due while no worker runs.
    const lastDue = Math.max(...holds.map((h) => Date.parse(h.expiresAt)));
    await sleep(Math.max(0, lastDue - Date.now() + 300));
    const unattended = await records.fold(show.showId);
    const dueNotExpired = holds.filter((h) => !h.confirmed && unattended.reservations.get(h.reservationId)!.status === 'held');
    console.log(
      `takeover: ${holds.filter((h) => atKill.reservations.get(h.reservationId)?.status === 'expired').length} expired before the kill, ${dueNotExpired.length} due with no worker running`,
    );
    // The scenario is what it says: holds were due and left unexpired while no worker ran.
    expect(dueNotExpired.length).toBeGreaterThan(0);

    const successor = await workers.startWorker();
    await eventually(async () => {
      const fold = await records.fold(show.showId);
      return holds.every((h) => fold.reservations.get(h.reservationId)!.status === (h.confirmed ? 'confirmed' : 'expired'));
    }, 20_000, 'every unpaid hold to expire after the take-over');
    // Anything a redelivery would write twice has had time to be written.
    await sleep(1500);

    const events = await records.events(show.showId);
    const fold = await records.fold(show.showId);
    for (const hold of holds) {
      const expiries = events.filter((e) => e.type === 'ReservationExpired' && e.data.reservationId === hold.reservationId).length;
      expect({ reservation: hold.reservationId, confirmed: hold.confirmed, expiries }).toEqual({ reservation: hold.reservationId, confirmed: hold.confirmed, expiries: hold.confirmed ? 0 : 1 });
    }
    // Only the paid seats are taken; every other seat is free again.
    expect(fold.sold).toBe(holds.filter((h) => h.confirmed).length);
    expect(fold.held).toBe(0);
    expect(fold.free).toBe(60 - fold.sold);
    expect(successor.lines().filter((line) => line.level >= 50)).toEqual([]);
  }, 80_000);
});
