import { randomUUID } from 'node:crypto';
import { CLOCK } from '@app/core';
import { TestClock } from './fixtures/accounting.fixture';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

const TODAY = '2026-03-10';

/** Statements: an account's postings by dateRef, then by acceptance, a page at a time. */
describe('ledger: statements', () => {
  const clock = new TestClock();
  let platform: TestApp;
  let staff: Staff;
  let accountant: TestUser;
  let worker: TestUser;
  let last = '';
  const http = () => platform.http;
  const admin = () => bearer(staff.admin);
  const accepted: Record<string, string> = {};

  const post = async (name: string, account: string, dateRef: string) => {
    const traceKey = randomUUID();
    const body = { traceKey, branch: 'S', account, amount: '1.00', debitCredit: 'C', eventCode: 1, description: name, dateRef };
    last = (await http().post('/ledger/postings').set(bearer(accountant)).send(body).expect(201)).body.position;
    accepted[name] = traceKey;
  };
  const statement = (query: Record<string, string | number>, account = 'S1') =>
    http().get(`/ledger/accounts/S/${account}/statement`).query({ after: last, ...query }).set(bearer(accountant));
  const names = (items: { description: string }[]) => items.map((item) => item.description);

  beforeAll(async () => {
    clock.set(`${TODAY}T08:00:00.000Z`);
    platform = await startPlatform({ overrides: [{ provide: CLOCK, useValue: clock }] });
    staff = await Staff.of(platform.http);
    [accountant, worker] = await Promise.all([staff.hire('accountant'), staff.hire('worker')]);
    await http().post('/ledger/event-codes').set(admin()).send({ code: 1, description: 'both', allowDebit: true, allowCredit: true }).expect(201);
    for (const account of ['S1', 'S2']) await http().post('/ledger/accounts').set(admin()).send({ branch: 'S', account, holder: account }).expect(201);
    // Accepted in this order; listed by dateRef first.
    await post('p1', 'S1', TODAY);
    await post('p2', 'S1', '2026-03-08');
    await post('other', 'S2', '2026-03-08');
    await post('p3', 'S1', TODAY);
    await post('p4', 'S1', '2026-03-09');
    await post('p5', 'S1', '2026-03-08');
  });

  afterAll(() => platform?.close());

  it('lists by dateRef, then in the order accepted, only the account’s, as PostingStatus', async () => {
    const { body } = await statement({ from: '2026-03-01', to: TODAY }).expect(200);
    expect(names(body.items)).toEqual(['p2', 'p5', 'p4', 'p1', 'p3']);
    expect(body.nextCursor).toBeNull();
    expect(body.items[0]).toEqual({
      postingId: expect.any(String),
      traceKey: accepted.p2,
      branch: 'S',
      account: 'S1',
      amount: '1.00',
      debitCredit: 'C',
      eventCode: 1,
      description: 'p2',
      details: {},
      dateRef: '2026-03-08',
      status: 'applied',
      acceptedAt: `${TODAY}T08:00:00.000Z`,
      appliedAt: expect.stringMatching(/Z$/),
    });
  });

  it('pages with a cursor, every posting once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const pages: number[] = [];
    do {
      const { body } = await statement({ from: '2026-03-01', to: TODAY, limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
      seen.push(...names(body.items));
      pages.push(body.items.length);
      cursor = body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['p2', 'p5', 'p4', 'p1', 'p3']);
    expect(pages).toEqual([2, 2, 1]);
  });

  it('takes the dates from and to, both included', async () => {
    expect(names((await statement({ from: '2026-03-09', to: '2026-03-09' }).expect(200)).body.items)).toEqual(['p4']);
    expect(names((await statement({ from: '2026-03-08', to: '2026-03-08' }, 'S2').expect(200)).body.items)).toEqual(['other']);
    expect((await statement({ from: '2026-03-01', to: '2026-03-07' }).expect(200)).body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a bad range, limit or cursor with 400, and other roles with 403', async () => {
    await statement({ from: TODAY, to: '2026-03-09' }).expect(400);
    await statement({ to: TODAY }).expect(400);
    await statement({ from: '2026-03-01', to: TODAY, limit: 0 }).expect(400);
    await statement({ from: '2026-03-01', to: TODAY, limit: 501 }).expect(400);
    await statement({ from: '2026-03-01', to: TODAY, cursor: 'bm9wZQ' }).expect(400);
    await http().get('/ledger/accounts/S/S1/statement').query({ from: TODAY, to: TODAY }).set(bearer(worker)).expect(403);
    await http().get('/ledger/accounts/S/S1/statement').query({ from: TODAY, to: TODAY }).expect(401);
  });
});
