import { randomUUID } from 'node:crypto';
import { CLOCK } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { postingStream } from '../libs/ledger/src/domain/posting.decider';
import { TestClock } from './fixtures/accounting.fixture';
import { postings, setUpLedger } from './fixtures/ledger.fixture';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

const TODAY = '2026-03-10';

/** Postings one at a time: the rules and their codes, idempotency by trace key, and the balances they make. */
describe('ledger: postings', () => {
  const clock = new TestClock();
  let platform: TestApp;
  let staff: Staff;
  let accountant: TestUser;
  let worker: TestUser;
  const http = () => platform.http;
  const admin = () => bearer(staff.admin);
  const store = () => platform.app.get<EventStore>(EVENT_STORE);

  const posting = postings({ branch: 'B1', account: 'ACC1', amount: '100.00', description: 'a posting', dateRef: TODAY });
  const post = (body: object, as: TestUser = accountant) => http().post('/ledger/postings').set(bearer(as)).send(body);

  beforeAll(async () => {
    clock.set(`${TODAY}T12:00:00.000Z`);
    // A window of 3 days, so the setting is seen to be the one in force.
    platform = await startPlatform({ env: { LEDGER_RETROACTIVE_DAYS: '3' }, overrides: [{ provide: CLOCK, useValue: clock }] });
    staff = await Staff.of(platform.http);
    [accountant, worker] = await Promise.all([staff.hire('accountant'), staff.hire('worker')]);
    const codes = [
      { code: 1, description: 'both sides', allowDebit: true, allowCredit: true },
      { code: 2, description: 'credits only', allowDebit: false, allowCredit: true },
      { code: 3, description: 'debits only', allowDebit: true, allowCredit: false },
      { code: 4, description: 'inactive', allowDebit: true, allowCredit: true, active: false },
    ];
    await setUpLedger(http(), staff.admin, {
      eventCodes: codes,
      accounts: ['ACC1', 'BLK', 'RETRO', 'RACE'].map((account) => ['B1', account] as const),
      blocked: [['B1', 'BLK']],
    });
  });

  afterAll(() => platform?.close());

  it('a posting is accepted (201), then applied; its status shows it with two-decimal amounts and its details as sent', async () => {
    const body = posting({ amount: '0.5', details: { z: 1, a: { list: [1, 'two'] } } });
    const { body: result } = await post(body).expect(201);
    expect(result).toEqual({ postingId: expect.any(String), traceKey: body.traceKey, status: 'accepted', position: expect.any(String) });
    const { body: status } = await http().get(`/ledger/postings/${body.traceKey}`).query({ after: result.position }).set(admin()).expect(200);
    expect(status).toEqual({
      postingId: result.postingId,
      traceKey: body.traceKey,
      branch: 'B1',
      account: 'ACC1',
      amount: '0.50',
      debitCredit: 'C',
      eventCode: 1,
      description: 'a posting',
      details: { z: 1, a: { list: [1, 'two'] } },
      dateRef: TODAY,
      status: 'applied',
      acceptedAt: `${TODAY}T12:00:00.000Z`,
      appliedAt: expect.stringMatching(/Z$/),
    });
    expect(Object.keys(status.details)).toEqual(['z', 'a']);
    // The posting's stream is its acceptance; the log records its application once, with others of its batch.
    const types = (await store().readStream(postingStream(body.traceKey))).map((event) => event.type);
    expect(types).toEqual(['LedgerPostingAccepted']);
    const applied = (await store().readAll({ filter: { eventTypes: ['LedgerPostingApplied'] }, maxCount: 10_000 })).filter(
      (event) => (event.data as { traceKey: string }).traceKey === body.traceKey,
    );
    expect(applied.map((event) => [event.streamName.startsWith('ledger-applied-'), (event.data as { appliedAt: string }).appliedAt])).toEqual([[true, status.appliedAt]]);
  });

  it('details sent as null is 400 and takes no trace key; left out, it is {}', async () => {
    const body = posting({ details: null });
    expect((await post(body).expect(400)).body.error.details.fields).toHaveProperty('details');
    const { position } = (await post({ ...body, details: undefined }).expect(201)).body;
    expect((await http().get(`/ledger/postings/${body.traceKey}`).query({ after: position }).set(bearer(accountant)).expect(200)).body.details).toEqual({});
  });

  it('the same trace key and body again is 200 with the first result and Idempotency-Hit; another body is 409 naming the fields', async () => {
    const body = posting({ amount: '12.30' });
    const first = await post(body).expect(201);
    const again = await post({ ...body, amount: '12.3' }).expect(200);
    expect(again.headers['idempotency-hit']).toBe('true');
    expect(again.body).toEqual(first.body);
    const conflict = await post({ ...body, amount: '12.31', description: 'another' }).expect(409);
    expect(conflict.body.error.code).toBe('LEDGER_TRACE_KEY_CONFLICT');
    expect(Object.keys(conflict.body.error.details.fields)).toEqual(['amount', 'description']);
    // Once applied, a repeat still answers the acceptance.
    await eventually(async () => (await http().get(`/ledger/postings/${body.traceKey}`).set(admin()).expect(200)).body.status === 'applied' || null);
    expect((await post(body).expect(200)).body).toEqual(first.body);
  });

  it('twenty identical requests at once: one 201, nineteen 200 with Idempotency-Hit, one acceptance in the log', async () => {
    const body = posting({ account: 'RACE', amount: '7.00' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(body)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    const hits = answers.filter((answer) => answer.status === 200);
    expect(hits).toHaveLength(19);
    for (const hit of hits) {
      expect(hit.headers['idempotency-hit']).toBe('true');
      expect(hit.body).toEqual(answers.find((answer) => answer.status === 201)!.body);
    }
    const accepted = (await store().readStream(postingStream(body.traceKey))).filter((event) => event.type === 'LedgerPostingAccepted');
    expect(accepted).toHaveLength(1);
  });

  it('ten different bodies with one trace key at once: one is accepted, the others are 409', async () => {
    const traceKey = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(posting({ traceKey, account: 'RACE', amount: `${i + 1}.00` }))));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    const conflicts = answers.filter((answer) => answer.status === 409);
    expect(conflicts).toHaveLength(9);
    for (const conflict of conflicts) {
      expect(conflict.body.error.code).toBe('LEDGER_TRACE_KEY_CONFLICT');
      expect(Object.keys(conflict.body.error.details.fields)).toEqual(['amount']);
    }
    expect((await store().readStream(postingStream(traceKey))).filter((event) => event.type === 'LedgerPostingAccepted')).toHaveLength(1);
  });

  it.each([
    ['an event code never registered', { eventCode: 99 }, 'LEDGER_EVENT_CODE_NOT_FOUND'],
    ['an inactive event code', { eventCode: 4 }, 'LEDGER_EVENT_CODE_INACTIVE'],
    ['a debit with a credits-only code', { eventCode: 2, debitCredit: 'D' }, 'LEDGER_DEBIT_NOT_ALLOWED'],
    ['a credit with a debits-only code', { eventCode: 3, debitCredit: 'C' }, 'LEDGER_CREDIT_NOT_ALLOWED'],
    ['an account never opened', { account: 'NOPE' }, 'LEDGER_ACCOUNT_NOT_FOUND'],
    ['an account of another branch', { branch: 'B2' }, 'LEDGER_ACCOUNT_NOT_FOUND'],
    ['a blocked account', { account: 'BLK' }, 'LEDGER_ACCOUNT_BLOCKED'],
    ['a dateRef tomorrow', { dateRef: '2026-03-11' }, 'LEDGER_DATEREF_OUT_OF_WINDOW'],
    ['a dateRef four days back (the window is 3)', { dateRef: '2026-03-06' }, 'LEDGER_DATEREF_OUT_OF_WINDOW'],
  ])('%s is 422 %s, and takes no trace key', async (_, overrides, code) => {
    const body = posting(overrides);
    const { body: answer } = await post(body).expect(422);
    expect(answer.error.code).toBe(code);
    expect(await store().readStream(postingStream(body.traceKey))).toEqual([]);
  });

  it('the window runs from LEDGER_RETROACTIVE_DAYS before today to today, both included', async () => {
    await post(posting({ dateRef: '2026-03-07' })).expect(201);
    await post(posting({ dateRef: TODAY })).expect(201);
  });

  it.each([
    ['a JSON number', 100],
    ['three decimals', '1.234'],
    ['zero', '0.00'],
    ['a negative amount', '-1.00'],
    ['more than 9999999999999.99', '10000000000000.00'],
    ['an exponent', '1e3'],
  ])('an amount of %s is 400 naming amount', async (_, amount) => {
    const { body: answer } = await post(posting({ amount })).expect(400);
    expect(answer.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(answer.error.details.fields)).toEqual(['amount']);
  });

  it.each([
    [{ traceKey: 'not-a-uuid' }, 'traceKey'],
    [{ debitCredit: 'X' }, 'debitCredit'],
    [{ eventCode: '1' }, 'eventCode'],
    [{ dateRef: '2026-02-30' }, 'dateRef'],
    [{ details: [1, 2] }, 'details'],
    [{ details: 'text' }, 'details'],
    [{ branch: 'a:b' }, 'branch'],
    [{ description: '' }, 'description'],
  ])('a posting with %j is 400 naming %s', async (overrides, field) => {
    const { body: answer } = await post(posting(overrides)).expect(400);
    expect(Object.keys(answer.error.details.fields)).toContain(field);
  });

  it('the largest amount is taken exactly', async () => {
    const body = posting({ account: 'RACE', amount: '9999999999999.99' });
    const { body: result } = await post(body).expect(201);
    const { body: status } = await http().get(`/ledger/postings/${body.traceKey}`).query({ after: result.position }).set(admin()).expect(200);
    expect(status.amount).toBe('9999999999999.99');
  });

  it('a change to an event code or an account applies to the very next posting', async () => {
    await http().patch('/ledger/event-codes/1').set(admin()).send({ active: false }).expect(200);
    expect((await post(posting()).expect(422)).body.error.code).toBe('LEDGER_EVENT_CODE_INACTIVE');
    await http().patch('/ledger/event-codes/1').set(admin()).send({ active: true, allowCredit: false }).expect(200);
    expect((await post(posting()).expect(422)).body.error.code).toBe('LEDGER_CREDIT_NOT_ALLOWED');
    await http().patch('/ledger/event-codes/1').set(admin()).send({ allowCredit: true }).expect(200);
    await post(posting()).expect(201);

    await http().post('/ledger/accounts/B1/ACC1/block').set(admin()).send({ reason: 'review' }).expect(200);
    expect((await post(posting()).expect(422)).body.error.code).toBe('LEDGER_ACCOUNT_BLOCKED');
    await http().post('/ledger/accounts/B1/ACC1/unblock').set(admin()).expect(200);
    await post(posting()).expect(201);
  });

  it('a repeat is answered as it was even after its rules changed', async () => {
    const body = posting({ eventCode: 2 });
    const first = await post(body).expect(201);
    await http().patch('/ledger/event-codes/2').set(admin()).send({ active: false }).expect(200);
    expect((await post(body).expect(200)).body).toEqual(first.body);
    await http().patch('/ledger/event-codes/2').set(admin()).send({ active: true }).expect(200);
  });

  it('a retroactive posting changes its day and the accumulated values of every later day', async () => {
    const at = (account: string, amount: string, debitCredit: 'D' | 'C', dateRef: string) => posting({ account, amount, debitCredit, dateRef });
    await post(at('RETRO', '100.00', 'C', '2026-03-09')).expect(201);
    await post(at('RETRO', '50.25', 'C', TODAY)).expect(201);
    const { body: retro } = await post(at('RETRO', '30.10', 'D', '2026-03-08')).expect(201);

    const { body } = await http().get('/ledger/accounts/B1/RETRO/balances').query({ from: '2026-03-01', to: TODAY, after: retro.position }).set(bearer(accountant)).expect(200);
    expect(body).toEqual({
      branch: 'B1',
      account: 'RETRO',
      items: [
        { dateRef: '2026-03-08', totalDebit: '30.10', totalCredit: '0.00', accumulatedDebit: '30.10', accumulatedCredit: '0.00', balance: '-30.10' },
        { dateRef: '2026-03-09', totalDebit: '0.00', totalCredit: '100.00', accumulatedDebit: '30.10', accumulatedCredit: '100.00', balance: '69.90' },
        { dateRef: TODAY, totalDebit: '0.00', totalCredit: '50.25', accumulatedDebit: '30.10', accumulatedCredit: '150.25', balance: '120.15' },
      ],
    });
    const balance = (query: Record<string, string>) =>
      http().get('/ledger/accounts/B1/RETRO/balance').query({ ...query, after: retro.position }).set(bearer(accountant)).expect(200);
    expect((await balance({})).body).toEqual(body.items[2]);
    expect((await balance({ date: '2026-03-20' })).body).toEqual({ ...body.items[2], dateRef: '2026-03-20', totalCredit: '0.00' });
    expect((await balance({ date: '2026-03-01' })).body).toEqual({
      dateRef: '2026-03-01',
      totalDebit: '0.00',
      totalCredit: '0.00',
      accumulatedDebit: '0.00',
      accumulatedCredit: '0.00',
      balance: '0.00',
    });
  });

  it('balances span at most 366 days, from before to', async () => {
    await http().get('/ledger/accounts/B1/RETRO/balances').query({ from: '2024-01-01', to: '2024-12-31' }).set(admin()).expect(200);
    const tooLong = await http().get('/ledger/accounts/B1/RETRO/balances').query({ from: '2024-01-01', to: '2025-01-01' }).set(admin()).expect(400);
    expect(Object.keys(tooLong.body.error.details.fields)).toEqual(['to']);
    await http().get('/ledger/accounts/B1/RETRO/balances').query({ from: '2026-03-02', to: '2026-03-01' }).set(admin()).expect(400);
    await http().get('/ledger/accounts/B1/RETRO/balances').query({ from: '2026-03-01' }).set(admin()).expect(400);
    await http().get('/ledger/accounts/B1/RETRO/balance').query({ date: '2026-13-01' }).set(admin()).expect(400);
  });

  it('an unknown trace key is 404, a malformed one 400', async () => {
    expect((await http().get(`/ledger/postings/${randomUUID()}`).set(admin()).expect(404)).body.error.code).toBe('NOT_FOUND');
    await http().get('/ledger/postings/nope').set(admin()).expect(400);
  });

  it('postings and balances are for admins and accountants', async () => {
    expect((await post(posting(), worker).expect(403)).body.error.code).toBe('FORBIDDEN');
    await http().post('/ledger/postings').send(posting()).expect(401);
    await http().get(`/ledger/postings/${randomUUID()}`).set(bearer(worker)).expect(403);
    await http().get('/ledger/accounts/B1/ACC1/balance').set(bearer(worker)).expect(403);
    await http().get('/ledger/accounts/B1/ACC1/balances').query({ from: TODAY, to: TODAY }).set(bearer(worker)).expect(403);
  });
});
