import { loadLedgerConfig } from '../libs/ledger/src/application/ledger.config';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

/** Event codes and accounts: what postings are checked against, and who may change them. */
describe('ledger: event codes and accounts', () => {
  let platform: TestApp;
  let staff: Staff;
  let accountant: TestUser;
  let worker: TestUser;
  const http = () => platform.http;
  const admin = () => bearer(staff.admin);

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    [accountant, worker] = await Promise.all([staff.hire('accountant'), staff.hire('worker')]);
  });

  afterAll(() => platform?.close());

  it('LEDGER_RETROACTIVE_DAYS is 7 unless set, and must be a whole number', () => {
    expect(loadLedgerConfig({}).retroactiveDays).toBe(7);
    expect(loadLedgerConfig({ LEDGER_RETROACTIVE_DAYS: '30' }).retroactiveDays).toBe(30);
    expect(() => loadLedgerConfig({ LEDGER_RETROACTIVE_DAYS: 'seven' })).toThrow(/LEDGER_RETROACTIVE_DAYS/);
  });

  it('an admin registers an event code (active by default), changes it, and anyone of the ledger lists it', async () => {
    const created = await http().post('/ledger/event-codes').set(admin()).send({ code: 1001, description: 'Deposit', allowDebit: false, allowCredit: true }).expect(201);
    expect(created.body).toEqual({ code: 1001, position: expect.any(String) });
    const changed = await http().patch('/ledger/event-codes/1001').set(admin()).send({ description: 'Cash deposit', allowDebit: true }).expect(200);
    expect(changed.body).toEqual({ code: 1001, position: expect.any(String) });
    expect(changed.body.position > created.body.position).toBe(true);
    const unchanged = await http().patch('/ledger/event-codes/1001').set(admin()).send({ allowDebit: true }).expect(200);
    expect(unchanged.body.position).toBe(changed.body.position);

    const { body } = await http().get('/ledger/event-codes').query({ after: changed.body.position }).set(bearer(accountant)).expect(200);
    expect(body.find((code: { code: number }) => code.code === 1001)).toEqual({
      code: 1001,
      description: 'Cash deposit',
      allowDebit: true,
      allowCredit: true,
      active: true,
      createdAt: expect.stringMatching(/Z$/),
    });
  });

  it('a code registered twice is 409 LEDGER_EVENT_CODE_EXISTS; a change of an unknown code is 404', async () => {
    await http().post('/ledger/event-codes').set(admin()).send({ code: 1002, description: 'Fee', allowDebit: true, allowCredit: false, active: false }).expect(201);
    const again = await http().post('/ledger/event-codes').set(admin()).send({ code: 1002, description: 'Fee', allowDebit: true, allowCredit: false }).expect(409);
    expect(again.body.error.code).toBe('LEDGER_EVENT_CODE_EXISTS');
    expect((await http().patch('/ledger/event-codes/4242').set(admin()).send({ active: true }).expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it.each([
    [{ code: 0, description: 'x', allowDebit: true, allowCredit: true }, 'code'],
    [{ code: 100000, description: 'x', allowDebit: true, allowCredit: true }, 'code'],
    [{ code: '7', description: 'x', allowDebit: true, allowCredit: true }, 'code'],
    [{ code: 1.5, description: 'x', allowDebit: true, allowCredit: true }, 'code'],
    [{ code: 7, description: '', allowDebit: true, allowCredit: true }, 'description'],
    [{ code: 7, description: 'x', allowCredit: true }, 'allowDebit'],
    [{ code: 7, description: 'x', allowDebit: 'yes', allowCredit: true }, 'allowDebit'],
    [{ code: 7, description: 'x', allowDebit: true, allowCredit: true, colour: 'red' }, 'colour'],
  ])('an event code %j is 400 naming %s', async (body, field) => {
    const { body: answer } = await http().post('/ledger/event-codes').set(admin()).send(body).expect(400);
    expect(answer.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(answer.error.details.fields)).toContain(field);
  });

  it('an optional setting sent as null is 400, and nothing is recorded (the fuzzer once halted the event-code read model with it)', async () => {
    const refused = await http().post('/ledger/event-codes').set(admin()).send({ code: 77, description: 'null active', allowDebit: true, allowCredit: true, active: null }).expect(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(refused.body.error.details.fields)).toEqual(['active']);
    const kept = await http().post('/ledger/event-codes').set(admin()).send({ code: 78, description: 'kept', allowDebit: true, allowCredit: true }).expect(201);
    for (const change of [{ description: null }, { active: null }, { allowDebit: null }, { allowCredit: null }]) {
      await http().patch('/ledger/event-codes/78').set(admin()).send(change).expect(400);
    }
    // Read once the read model has the registration: without ?after= a busy worker may not have applied it yet.
    const listed = (await http().get('/ledger/event-codes').query({ after: kept.body.position }).set(admin()).expect(200)).body as Array<{ code: number; description: string; active: boolean }>;
    expect(listed.filter((c) => c.code === 77)).toEqual([]);
    expect(listed.find((c) => c.code === 78)).toMatchObject({ description: 'kept', active: true, allowDebit: true, allowCredit: true });
  });

  it('a PATCH of code 0x10 or abc is 400', async () => {
    for (const code of ['0x10', 'abc', '0', '100000']) {
      expect((await http().patch(`/ledger/event-codes/${code}`).set(admin()).send({}).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('event codes are the admin’s to change, and admins’ and accountants’ to read', async () => {
    const body = { code: 1003, description: 'x', allowDebit: true, allowCredit: true };
    expect((await http().post('/ledger/event-codes').set(bearer(accountant)).send(body).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await http().patch('/ledger/event-codes/1001').set(bearer(accountant)).send({ active: false }).expect(403)).body.error.code).toBe('FORBIDDEN');
    await http().get('/ledger/event-codes').set(bearer(worker)).expect(403);
    expect((await http().get('/ledger/event-codes').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    await http().post('/ledger/event-codes').send(body).expect(401);
  });

  it('an account is opened by an admin or an accountant, once; blocked and unblocked by an admin', async () => {
    const opened = await http().post('/ledger/accounts').set(bearer(accountant)).send({ branch: '0001', account: 'A-1', holder: 'Ada' }).expect(201);
    expect(opened.body).toEqual({ branch: '0001', account: 'A-1', position: expect.any(String) });
    const again = await http().post('/ledger/accounts').set(admin()).send({ branch: '0001', account: 'A-1', holder: 'Bob' }).expect(409);
    expect(again.body.error.code).toBe('LEDGER_ACCOUNT_EXISTS');

    expect((await http().post('/ledger/accounts/0001/A-1/block').set(bearer(accountant)).send({ reason: 'fraud' }).expect(403)).body.error.code).toBe('FORBIDDEN');
    await http().post('/ledger/accounts/0001/A-1/unblock').set(bearer(accountant)).expect(403);
    const blocked = await http().post('/ledger/accounts/0001/A-1/block').set(admin()).send({ reason: 'Suspected fraud' }).expect(200);
    expect(blocked.body).toEqual({ branch: '0001', account: 'A-1', blocked: true, position: expect.any(String) });
    const list = await http().get('/ledger/accounts').query({ branch: '0001', after: blocked.body.position }).set(bearer(accountant)).expect(200);
    expect(list.body).toEqual({ items: [{ branch: '0001', account: 'A-1', holder: 'Ada', blocked: true, openedAt: expect.stringMatching(/Z$/) }], nextCursor: null });

    const unblocked = await http().post('/ledger/accounts/0001/A-1/unblock').set(admin()).expect(200);
    expect(unblocked.body).toEqual({ branch: '0001', account: 'A-1', blocked: false, position: expect.any(String) });
    const after = await http().get('/ledger/accounts').query({ branch: '0001', after: unblocked.body.position }).set(admin()).expect(200);
    expect(after.body.items[0].blocked).toBe(false);
  });

  it('blocking or unblocking an account never opened is 404; a block needs a reason', async () => {
    expect((await http().post('/ledger/accounts/0001/NOPE/block').set(admin()).send({ reason: 'x' }).expect(404)).body.error.code).toBe('NOT_FOUND');
    await http().post('/ledger/accounts/0001/NOPE/unblock').set(admin()).expect(404);
    await http().post('/ledger/accounts/0001/A-1/block').set(admin()).send({}).expect(400);
  });

  it.each([
    [{ branch: '', account: 'A', holder: 'x' }, 'branch'],
    [{ branch: 'b:1', account: 'A', holder: 'x' }, 'branch'],
    [{ branch: 'b', account: 'A'.repeat(21), holder: 'x' }, 'account'],
    [{ branch: 'b', account: 'a b', holder: 'x' }, 'account'],
    [{ branch: 'b', account: 'A' }, 'holder'],
  ])('an account %j is 400 naming %s', async (body, field) => {
    const { body: answer } = await http().post('/ledger/accounts').set(admin()).send(body).expect(400);
    expect(Object.keys(answer.error.details.fields)).toContain(field);
  });

  it('workers and strangers do not reach accounts', async () => {
    await http().post('/ledger/accounts').set(bearer(worker)).send({ branch: 'W', account: 'W', holder: 'x' }).expect(403);
    await http().get('/ledger/accounts').set(bearer(worker)).expect(403);
    await http().get('/ledger/accounts').expect(401);
  });

  it('accounts page by branch then account, every one once, with a cursor', async () => {
    let position = '';
    for (const account of ['C', 'A', 'E', 'B', 'D']) {
      position = (await http().post('/ledger/accounts').set(admin()).send({ branch: 'PAGE', account, holder: `holder ${account}` }).expect(201)).body.position;
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const { body } = await http()
        .get('/ledger/accounts')
        .query({ branch: 'PAGE', limit: 2, after: position, ...(cursor ? { cursor } : {}) })
        .set(admin())
        .expect(200);
      seen.push(...body.items.map((item: { account: string }) => item.account));
      cursor = body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual(['A', 'B', 'C', 'D', 'E']);
    const all = await http().get('/ledger/accounts').set(admin()).expect(200);
    expect(all.body.items.map((item: { branch: string }) => item.branch)).toEqual(['0001', 'PAGE', 'PAGE', 'PAGE', 'PAGE', 'PAGE']);
    await http().get('/ledger/accounts').query({ cursor: 'bm9wZQ' }).set(admin()).expect(400);
    await http().get('/ledger/accounts').query({ limit: 501 }).set(admin()).expect(400);
  });
});
