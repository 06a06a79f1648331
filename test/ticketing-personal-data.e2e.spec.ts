import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createKnex } from '@app/core';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { projectionsSettled } from './fixtures/projections.fixture';
import { confirm, createShow, reserve } from './fixtures/ticketing.fixture';
import type { TestApp } from './support/test-app';

/** Personal data nobody else in the database has, so finding it anywhere means it is this customer's. */
function uniqueDetails() {
  const tag = randomUUID().replace(/-/g, '').slice(0, 10);
  return { fullName: `Zelda Quuxington ${tag}`, email: `zelda.${tag}@example.org`, phone: `+1 (555) ${parseInt(tag.slice(0, 6), 16) % 10_000_000}` };
}

interface LoggedEvent {
  type: string;
  data: string;
}

describe('ticketing: customers’ personal data, encrypted, and forgetting them (crypto-shredding)', () => {
  let platform: TestApp;
  let staff: Staff;
  let knex: Knex;
  let showId: string;
  let seat = 0;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    knex = createKnex(platform.database.url, 2);
    showId = (await createShow(platform.http, staff.admin, { sections: [{ name: 'A', price: '10.00', rows: [{ name: '1', seats: 200 }] }] })).showId;
  });

  afterAll(async () => {
    await knex?.destroy();
    await platform?.close();
  });

  const setMine = (user: TestUser, body: object) => platform.http.put('/ticketing/customers/me').set(bearer(user)).send(body);
  const forget = (asker: TestUser, userId: string) => platform.http.delete(`/ticketing/customers/${userId}/personal-data`).set(bearer(asker));
  const reserveOne = async (customer: TestUser) => {
    seat += 1;
    const held = await reserve(platform.http, customer, showId, { seats: [`A-1-${seat}`] });
    expect(held.status).toBe(201);
    return held.body;
  };
  const reservation = async (reader: TestUser, reservationId: string, after: string) =>
    (await platform.http.get(`/ticketing/reservations/${reservationId}`).query({ after }).set(bearer(reader)).expect(200)).body;
  const loggedEvents = (userId: string): Promise<LoggedEvent[]> =>
    knex('es_events').where({ stream_name: `ticketing-customer-${userId}` }).orderBy('revision').select('type', knex.raw('data::text as data'));

  /** Every table of the database (read models, the log, the key vault, the rest), each row as text, with the tables that hold `needle`. */
  async function tablesHolding(needles: readonly string[]): Promise<{ tables: string[]; holding: string[] }> {
    const tables = await knex('pg_tables').whereRaw('schemaname = current_schema()').orderBy('tablename').pluck<string[]>('tablename');
    const holding: string[] = [];
    for (const table of tables) {
      const rows = await knex.raw<{ rows: { row: string }[] }>('select t::text as row from ?? t', [table]);
      const text = rows.rows.map((r) => r.row.toLowerCase()).join('\n');
      for (const needle of needles) if (text.includes(needle.toLowerCase())) holding.push(`${table} holds ${needle}`);
    }
    return { tables, holding };
  }

  it('stores the data encrypted: reservations show the customer, the log holds no clear text', async () => {
    const ann = await staff.hire('customer');
    const details = uniqueDetails();
    const set = await setMine(ann, details).expect(200);
    expect(set.body).toEqual({ userId: ann.userId, ...details, position: expect.any(String) });

    const held = await reserveOne(ann);
    expect(held.customer).toEqual({ fullName: details.fullName, email: details.email });
    expect((await reservation(ann, held.reservationId, held.position)).customer).toEqual({ fullName: details.fullName, email: details.email });

    const events = await loggedEvents(ann.userId);
    expect(events.map((event) => event.type)).toEqual(['CustomerPersonalDataSet']);
    const data = JSON.parse(events[0].data);
    expect(data).toEqual({ userId: ann.userId, keyId: expect.any(String), iv: expect.any(String), ciphertext: expect.any(String), tag: expect.any(String), setAt: expect.any(String) });
    for (const clear of [details.fullName, 'Quuxington', details.email, details.phone]) expect(events[0].data).not.toContain(clear);
    const { holding } = await tablesHolding([details.fullName, details.email, details.phone]);
    expect(holding).toEqual([]);
  });

  it('answers a phone left out as null, and refuses null, a bad email, a bad phone, a blank or too long name', async () => {
    const cid = await staff.hire('customer');
    const { fullName, email } = uniqueDetails();
    expect((await setMine(cid, { fullName, email }).expect(200)).body).toMatchObject({ fullName, email, phone: null });
    for (const body of [
      { fullName, email, phone: null },
      { fullName, email: 'not-an-email' },
      { fullName, email: `${'a'.repeat(250)}@example.org` },
      { fullName, email, phone: 'call me' },
      { fullName, email, phone: '1'.repeat(33) },
      { fullName: '   ', email },
      { fullName: 'x'.repeat(201), email },
      { fullName: null, email },
      { email },
    ]) {
      const refused = await setMine(cid, body).expect(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }
    await platform.http.put('/ticketing/customers/me').send({ fullName, email }).expect(401);
  });

  it('lets only the customer or an admin forget them; anyone else is 403 FORBIDDEN and the data stays', async () => {
    const ann = await staff.hire('customer');
    const bob = await staff.hire('customer');
    const manager = await staff.hire('manager');
    const details = uniqueDetails();
    await setMine(ann, details).expect(200);
    for (const asker of [bob, manager]) expect((await forget(asker, ann.userId).expect(403)).body.error.code).toBe('FORBIDDEN');
    const held = await reserveOne(ann);
    expect(held.customer).toEqual({ fullName: details.fullName, email: details.email });

    const byAdmin = await forget(staff.admin, ann.userId).expect(200);
    expect(byAdmin.body).toEqual({ userId: ann.userId, forgotten: true, position: expect.any(String) });
    expect((await reservation(staff.admin, held.reservationId, byAdmin.body.position)).customer).toBeNull();
    // A user who never gave any data is forgotten all the same; a malformed id is refused.
    const never = await staff.hire('customer');
    expect((await forget(never, never.userId).expect(200)).body).toEqual({ userId: never.userId, forgotten: true, position: expect.any(String) });
    await forget(staff.admin, 'not-a-uuid').expect(400);
  });

  it('forgetting destroys the key: reservations show null, the events stay, no table holds the data, and a rebuild does not bring it back', async () => {
    const ann = await staff.hire('customer');
    const bob = await staff.hire('customer');
    const annDetails = uniqueDetails();
    const bobDetails = uniqueDetails();
    await setMine(ann, annDetails).expect(200);
    await setMine(bob, bobDetails).expect(200);
    const before = await reserveOne(ann);
    expect(before.customer).toEqual({ fullName: annDetails.fullName, email: annDetails.email });
    // The answer kept for an Idempotency-Key request holds her data too, until she is forgotten.
    const paid = await confirm(platform.http, ann, before.reservationId, 'tok_visa', 'ann-key-1').expect(200);
    expect(paid.body.customer).toEqual({ fullName: annDetails.fullName, email: annDetails.email });
    const keyId = JSON.parse((await loggedEvents(ann.userId))[0].data).keyId;

    const forgotten = await forget(ann, ann.userId).expect(200);
    expect(forgotten.body).toEqual({ userId: ann.userId, forgotten: true, position: expect.any(String) });
    // Again: the same answer, nothing more recorded.
    expect((await forget(ann, ann.userId).expect(200)).body).toEqual({ userId: ann.userId, forgotten: true, position: expect.any(String) });

    const after = await reserveOne(ann);
    expect(after.customer).toBeNull();
    const replayed = await confirm(platform.http, ann, before.reservationId, 'tok_visa', 'ann-key-1').expect(200);
    expect(replayed.headers['idempotency-hit']).toBeUndefined();
    expect(replayed.body).toMatchObject({ status: 'confirmed', paymentId: paid.body.paymentId, customer: null });
    expect((await reservation(ann, before.reservationId, forgotten.body.position)).customer).toBeNull();
    expect((await reservation(ann, after.reservationId, after.position)).customer).toBeNull();
    const mine = (await platform.http.get('/ticketing/reservations/mine').query({ after: after.position }).set(bearer(ann)).expect(200)).body;
    expect(mine.items.map((item: { customer: unknown }) => item.customer)).toEqual([null, null]);
    // Bob, not forgotten, still shows.
    expect((await reserveOne(bob)).customer).toEqual({ fullName: bobDetails.fullName, email: bobDetails.email });

    // The events stay (the ciphertext too), their key does not.
    const events = await loggedEvents(ann.userId);
    expect(events.map((event) => event.type)).toEqual(['CustomerPersonalDataSet', 'CustomerForgotten']);
    expect(JSON.parse(events[0].data).ciphertext).toEqual(expect.any(String));
    expect(JSON.parse(events[1].data)).toEqual({ userId: ann.userId, keyId, forgottenAt: expect.any(String) });
    expect(await knex('ticketing_customer_keys').where({ user_id: ann.userId }).count<{ count: string }[]>('* as count')).toEqual([{ count: '0' }]);
    expect(await knex('ticketing_customer_keys').where({ user_id: bob.userId }).count<{ count: string }[]>('* as count')).toEqual([{ count: '1' }]);

    // Every table, read models among them, as text: the forgotten name and email are nowhere.
    const needles = [annDetails.fullName, annDetails.email, annDetails.phone];
    await projectionsSettled(platform.http, staff.admin, ['ticketing_customers', 'ticketing_reservations']);
    const { tables, holding } = await tablesHolding(needles);
    expect(tables).toEqual(expect.arrayContaining(['ticketing_customers__g1', 'ticketing_reservations__g1', 'es_events', 'ticketing_customer_keys']));
    expect(holding).toEqual([]);
    // The same search finds what is there: Ann's login email, in the users read model.
    expect((await tablesHolding([ann.email])).holding).toEqual(expect.arrayContaining([expect.stringMatching(/^users__g\d+ holds /)]));
    expect(await knex('ticketing_customers').where({ user_id: ann.userId }).select()).toEqual([]);

    // Rebuilt from the log: Ann's row does not come back readable, Bob's does.
    const rebuild = await platform.http.post('/projections/ticketing_customers/rebuild').set(bearer(staff.admin)).expect(202);
    await projectionsSettled(platform.http, staff.admin, ['ticketing_customers']);
    const rebuilt = await tablesHolding(needles);
    expect(rebuilt.tables).toContain(`ticketing_customers__g${rebuild.body.generation}`);
    expect(rebuilt.holding).toEqual([]);
    expect((await reservation(ann, before.reservationId, after.position)).customer).toBeNull();
    const bobs = (await platform.http.get('/ticketing/reservations/mine').query({ after: after.position }).set(bearer(bob)).expect(200)).body;
    expect(bobs.items.map((item: { customer: unknown }) => item.customer)).toEqual([{ fullName: bobDetails.fullName, email: bobDetails.email }]);

    // Data set after forgetting is under a new key, and shows; the forgotten data still does not.
    const again = uniqueDetails();
    await setMine(ann, again).expect(200);
    const newKey = JSON.parse((await loggedEvents(ann.userId))[2].data).keyId;
    expect(newKey).not.toBe(keyId);
    expect((await reservation(ann, before.reservationId, after.position)).customer).toEqual({ fullName: again.fullName, email: again.email });
    expect((await tablesHolding(needles)).holding).toEqual([]);
  });
});
