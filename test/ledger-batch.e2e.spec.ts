import { CLOCK } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { postingStream } from '../libs/ledger/src/domain/posting.decider';
import { TestClock } from './fixtures/accounting.fixture';
import { BOTH_SIDES, postings, setUpLedger } from './fixtures/ledger.fixture';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

const TODAY = '2026-03-10';

/** Batches of postings: each item gets the result it would have had alone. */
describe('ledger: posting batches', () => {
  const clock = new TestClock();
  let platform: TestApp;
  let staff: Staff;
  let accountant: TestUser;
  let worker: TestUser;
  const http = () => platform.http;
  const admin = () => bearer(staff.admin);
  const store = () => platform.app.get<EventStore>(EVENT_STORE);
  const posting = postings({ branch: 'B', account: 'A1', amount: '10.00', description: 'batched', dateRef: TODAY });
  const batch = (items: unknown[], as: TestUser = accountant) => http().post('/ledger/postings/batch').set(bearer(as)).send({ items });

  beforeAll(async () => {
    clock.set(`${TODAY}T09:30:00.000Z`);
    platform = await startPlatform({ overrides: [{ provide: CLOCK, useValue: clock }] });
    staff = await Staff.of(platform.http);
    [accountant, worker] = await Promise.all([staff.hire('accountant'), staff.hire('worker')]);
    await setUpLedger(http(), staff.admin, {
      eventCodes: [BOTH_SIDES, { code: 2, description: 'credits', allowDebit: false, allowCredit: true }],
      accounts: ['A1', 'A2', 'BLK', 'BULK'].map((account) => ['B', account] as const),
      blocked: [['B', 'BLK']],
    });
  });

  afterAll(() => platform?.close());

  it('mixed items: each accepted, repeated or refused on its own, with the status it would have had alone', async () => {
    const earlier = posting({ amount: '1.00' });
    const { body: first } = await http().post('/ledger/postings').set(bearer(accountant)).send(earlier).expect(201);
    const twice = posting({ account: 'A2', amount: '3.00', debitCredit: 'D' });
    const items = [
      posting({ amount: '10.00' }),
      posting({ account: 'A2', amount: '5.00', debitCredit: 'D' }),
      earlier,
      { ...earlier, amount: '2.00' },
      posting({ eventCode: 99 }),
      posting({ account: 'BLK' }),
      posting({ amount: 10 }),
      42,
      posting({ dateRef: '2026-03-02' }),
      posting({ eventCode: 2, debitCredit: 'D' }),
      twice,
      twice,
      posting({ colour: 'red' }),
    ];
    const { body } = await batch(items).expect(200);
    expect(body.results.map((r: { index: number }) => r.index)).toEqual(items.map((_, i) => i));
    expect(body.results.map((r: { status: number }) => r.status)).toEqual([201, 201, 200, 409, 422, 422, 400, 400, 422, 422, 201, 200, 400]);
    expect(body.results.map((r: { error?: { code: string } }) => r.error?.code ?? null)).toEqual([
      null,
      null,
      null,
      'LEDGER_TRACE_KEY_CONFLICT',
      'LEDGER_EVENT_CODE_NOT_FOUND',
      'LEDGER_ACCOUNT_BLOCKED',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'LEDGER_DATEREF_OUT_OF_WINDOW',
      'LEDGER_DEBIT_NOT_ALLOWED',
      null,
      null,
      'VALIDATION_FAILED',
    ]);
    expect(body.results[0].result).toEqual({ postingId: expect.any(String), traceKey: (items[0] as { traceKey: string }).traceKey, status: 'accepted', position: expect.any(String) });
    expect(body.results[0].result.replayed).toBeUndefined();
    expect(body.results[2].result).toEqual({ ...first, replayed: true });
    expect(body.results[11].result).toEqual({ ...body.results[10].result, replayed: true });
    expect(Object.keys(body.results[3].error.details.fields)).toEqual(['amount']);
    expect(Object.keys(body.results[6].error.details.fields)).toEqual(['amount']);
    expect(Object.keys(body.results[12].error.details.fields)).toEqual(['colour']);
    expect((await store().readStream(postingStream(twice.traceKey))).filter((e) => e.type === 'LedgerPostingAccepted')).toHaveLength(1);

    const balance = async (account: string) =>
      (await http().get(`/ledger/accounts/B/${account}/balance`).query({ after: body.position }).set(admin()).expect(200)).body.balance;
    expect(await balance('A1')).toBe('11.00');
    expect(await balance('A2')).toBe('-8.00');
  });

  it('a thousand postings in one batch are all accepted and all in the balance', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => posting({ account: 'BULK', amount: `${(i % 7) + 1}.${String(i % 100).padStart(2, '0')}` }));
    const expectedCents = items.reduce((sum, item) => sum + Math.round(Number(item.amount) * 100), 0);
    const { body } = await batch(items).expect(200);
    expect(body.results.filter((r: { status: number }) => r.status === 201)).toHaveLength(1000);
    const { body: day } = await http().get('/ledger/accounts/B/BULK/balance').query({ after: body.position }).set(admin()).expect(200);
    expect(day.totalCredit).toBe((expectedCents / 100).toFixed(2));
  }, 60_000);

  it('a batch holds 1 to 1000 items, in an array', async () => {
    expect((await batch([]).expect(400)).body.error.details.fields).toHaveProperty('items');
    await batch(Array.from({ length: 1001 }, () => posting())).expect(400);
    await http().post('/ledger/postings/batch').set(bearer(accountant)).send({ items: 'many' }).expect(400);
    await http().post('/ledger/postings/batch').set(bearer(accountant)).send({}).expect(400);
  });

  it('batches are for admins and accountants', async () => {
    await batch([posting()], worker).expect(403);
    await http().post('/ledger/postings/batch').send({ items: [posting()] }).expect(401);
    await batch([posting()], staff.admin).expect(200);
  });
});
