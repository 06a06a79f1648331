import request from 'supertest';
import { addDays, utcDateOf } from '@app/core';
import { bearer, IDENTITY_ENV, Staff, type TestUser } from './fixtures/identity.fixture';
import { centsOf, ExactBalances, expectedBalances, readBalances, seededRandom, setUpLedger, twoDecimals } from './fixtures/ledger.fixture';
import { AppProcesses } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';

// The real clock: the processes run as deployed. Postings go to the five days before today, which
// stay inside the 7-day window should the run cross midnight.
const TODAY = utcDateOf(new Date().toISOString());
const DAYS = Array.from({ length: 5 }, (_, i) => addDays(TODAY, i - 5));
const READ_DAYS = [addDays(TODAY, -6), ...DAYS, TODAY];
const ACCOUNTS = [['B1', 'A1'], ['B1', 'A2'], ['B2', 'A1']] as const;
const POSTINGS = 400;
const RACES = 40;

type Body = { traceKey: string; branch: string; account: string; amount: string; debitCredit: 'D' | 'C'; eventCode: number; description: string; dateRef: string };
/**
 * Two api processes (`npm run start:api` twice) and one worker (`npm run start:worker`) on one
 * database, as a deployment scales the api: postings to the same accounts sent to both at once,
 * alone and in batches, the same trace key to both at the same moment. Of a raced key exactly one
 * is accepted (the other is its repeat, or a conflict), every trace key has one posting in the
 * statements, and every balance is the exact sum of what was accepted.
 */
describe('ledger: two api processes and a worker on one database', () => {
  const random = seededRandom('ledger two processes');
  const exact = new ExactBalances();
  let database: TestDatabase;
  let processes: AppProcesses;
  let apis: ReturnType<typeof request>[] = [];
  let staff: Staff;
  let accountant: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase('ledger_two_processes');
    // Small pools: the test server's connections are shared with the other test files running beside this one.
    processes = new AppProcesses(database.url, {
      ...IDENTITY_ENV,
      LEDGER_RETROACTIVE_DAYS: '7',
      LEDGER_RECONCILE_MS: '3600000',
      EVENT_STORE_POOL_SIZE: '6',
      READ_MODEL_POOL_SIZE: '3',
    });
    // Started together, as a deployment starts them: both api processes try to create the first admin, one does.
    apis = (await processes.start({ apis: 2, workers: 1 })).map((url) => request(url));
    staff = await eventually(() => Staff.of(apis[0]), 30_000, 'the admin to log in');
    accountant = await staff.hire('accountant');
    await setUpLedger(apis[1], staff.admin, { accounts: ACCOUNTS });
  }, 120_000);

  afterAll(async () => {
    await processes?.stop();
    await database?.drop();
  }, 60_000);

  const randomBody = (cents = random.int(1, 10_000_000)): Body => {
    const [branch, account] = random.pick(ACCOUNTS);
    return {
      traceKey: random.uuid(),
      branch,
      account,
      amount: twoDecimals(BigInt(cents)),
      debitCredit: random.pick(['D', 'C'] as const),
      eventCode: 1,
      description: `two processes ${random.int(1, 1_000_000)}`,
      dateRef: random.pick(DAYS),
    };
  };
  const single = (api: number, body: Body) => apis[api].post('/ledger/postings').set(bearer(accountant)).send(body);
  const batch = (api: number, items: Body[]) => apis[api].post('/ledger/postings/batch').set(bearer(accountant)).send({ items });
  /** The answer's body, or a failure that shows it. */
  const answered = async (sent: request.Test, status: number) => {
    const answer = await sent;
    if (answer.status !== status) throw new Error(`${answer.status} instead of ${status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  it(`${POSTINGS} postings to both processes at once and ${RACES} trace keys sent to both at the same moment: one posting per key, every balance exact`, async () => {
    const positions: string[] = [];
    const sent: string[] = [];
    const work: Array<() => Promise<void>> = [];

    const bodies = Array.from({ length: POSTINGS }, () => randomBody());
    for (let i = 0; i < bodies.length; ) {
      const chunk = bodies.slice(i, (i += random.next() < 0.5 ? 1 : random.int(2, 60)));
      const api = random.int(0, 1);
      work.push(async () => {
        if (chunk.length === 1) {
          positions.push((await answered(single(api, chunk[0]), 201)).position);
        } else {
          const body = await answered(batch(api, chunk), 200);
          expect(body.results.map((r: { status: number }) => r.status)).toEqual(chunk.map(() => 201));
          positions.push(body.position);
        }
        for (const item of chunk) {
          exact.add(item);
          sent.push(item.traceKey);
        }
      });
    }

    for (let i = 0; i < RACES; i += 1) {
      const conflicting = i % 2 === 1;
      const first = randomBody();
      const second = conflicting ? { ...first, amount: twoDecimals(centsOf(first.amount) + 1n) } : { ...first };
      // Each side goes alone or in a batch, to a process of its own: api 0 and api 1 at the same moment.
      const batched = [random.next() < 0.5, random.next() < 0.5];
      work.push(async () => {
        const answers = await Promise.all(
          [first, second].map(async (body, api) => {
            if (!batched[api]) {
              const answer = await single(api, body);
              const status = answer.status;
              if (status === 200) expect(answer.headers['idempotency-hit']).toBe('true');
              return { status, result: status < 300 ? answer.body : undefined, error: status >= 300 ? answer.body.error : undefined, body };
            }
            const answer = await answered(batch(api, [body]), 200);
            const [item] = answer.results;
            return { status: item.status as number, result: item.result, error: item.error, body };
          }),
        );
        expect(answers.map((answer) => answer.status).sort()).toEqual(conflicting ? [201, 409] : [200, 201]);
        const winner = answers.find((answer) => answer.status === 201)!;
        const other = answers.find((answer) => answer.status !== 201)!;
        if (conflicting) {
          expect(other.error.code).toBe('LEDGER_TRACE_KEY_CONFLICT');
          expect(Object.keys(other.error.details.fields)).toEqual(['amount']);
        } else {
          expect(other.result.postingId).toBe(winner.result.postingId);
          expect(other.result.position).toBe(winner.result.position);
        }
        positions.push(winner.result.position);
        exact.add(winner.body);
        sent.push(first.traceKey);
      });
    }

    random.shuffle(work);
    // Eight clients, each sending its next request as soon as the last is answered.
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < work.length; i = next++) await work[i]();
      }),
    );
    const head = positions.reduce((a, b) => (b > a ? b : a));

    // Every balance, read from either process, is the exact sum of the accepted postings.
    const expected = expectedBalances(exact, ACCOUNTS, READ_DAYS);
    expect(await readBalances(apis[0], accountant, ACCOUNTS, READ_DAYS, head)).toEqual(expected);
    expect(await readBalances(apis[1], accountant, ACCOUNTS, READ_DAYS, head)).toEqual(expected);

    // Each trace key sent is in the statements exactly once, and nothing else is.
    const inStatements: string[] = [];
    for (const [branch, account] of ACCOUNTS) {
      let cursor: string | undefined;
      do {
        const query = { from: READ_DAYS[0], to: TODAY, limit: '500', after: head, ...(cursor ? { cursor } : {}) };
        const { body } = await apis[random.int(0, 1)].get(`/ledger/accounts/${branch}/${account}/statement`).query(query).set(bearer(accountant)).expect(200);
        inStatements.push(...body.items.map((item: { traceKey: string }) => item.traceKey));
        cursor = body.nextCursor ?? undefined;
      } while (cursor);
    }
    expect(inStatements.length).toBe(POSTINGS + RACES);
    expect([...inStatements].sort()).toEqual([...sent].sort());

    // No process logged an error.
    for (const { lines } of processes.all) expect(lines().filter((line) => line.level >= 50)).toEqual([]);
  }, 120_000);

  it('a change to an account or an event code made through one process applies to the very next posting through the other', async () => {
    const admin = bearer(staff.admin);
    await answered(apis[0].post('/ledger/accounts/B1/A1/block').set(admin).send({ reason: 'review' }), 200);
    expect((await answered(single(1, { ...randomBody(), branch: 'B1', account: 'A1' }), 422)).error.code).toBe('LEDGER_ACCOUNT_BLOCKED');
    expect((await answered(batch(1, [{ ...randomBody(), branch: 'B1', account: 'A1' }]), 200)).results[0].error.code).toBe('LEDGER_ACCOUNT_BLOCKED');
    await answered(apis[1].post('/ledger/accounts/B1/A1/unblock').set(admin), 200);
    await answered(single(0, { ...randomBody(), branch: 'B1', account: 'A1' }), 201);

    await answered(apis[1].patch('/ledger/event-codes/1').set(admin).send({ allowDebit: false }), 200);
    expect((await answered(single(0, { ...randomBody(), debitCredit: 'D' }), 422)).error.code).toBe('LEDGER_DEBIT_NOT_ALLOWED');
    await answered(apis[0].patch('/ledger/event-codes/1').set(admin).send({ allowDebit: true }), 200);
    await answered(single(1, { ...randomBody(), debitCredit: 'D' }), 201);
  });
});
