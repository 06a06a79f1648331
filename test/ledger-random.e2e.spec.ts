import { addDays, CLOCK } from '@app/core';
import { TestClock } from './fixtures/accounting.fixture';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { centsOf, ExactBalances, expectedBalances, readBalances, seededRandom, setUpLedger, twoDecimals } from './fixtures/ledger.fixture';
import { projectionsSettled } from './fixtures/projections.fixture';
import type { TestApp } from './support/test-app';

const TODAY = '2026-03-10';
const WINDOW_DAYS = 7;
const WINDOW = Array.from({ length: WINDOW_DAYS + 1 }, (_, i) => addDays(TODAY, i - WINDOW_DAYS));
/** The days read back: the window, the day before it (before every posting) and the day after today (none can be posted there). */
const READ_DAYS = [addDays(TODAY, -WINDOW_DAYS - 1), ...WINDOW, addDays(TODAY, 1)];
/** Two branches, one account name in both, and SPARSE: postings on three days of the window only, so others carry its balance. */
const ACCOUNTS = [['B1', 'A1'], ['B1', 'A2'], ['B2', 'A1'], ['B2', 'BIG'], ['B1', 'SPARSE']] as const;
const SPARSE_DAYS = [WINDOW[1], WINDOW[4], WINDOW[6]];
const MAX_CENTS = 999_999_999_999_999;
const POSTINGS = 1000;
const RACES = 40;

type Body = { traceKey: string; branch: string; account: string; amount: string; debitCredit: 'D' | 'C'; eventCode: number; description: string; dateRef: string };
/** What one request sends: a posting alone, a batch, or one trace key sent alone and in a batch at once (the same body, or another amount). */
type Send = { kind: 'single'; body: Body } | { kind: 'batch'; bodies: Body[] } | { kind: 'race'; alone: Body; batched: Body; others: Body[]; at: number; conflicting: boolean };

/**
 * 1,000 random postings (alone and in batches, sent concurrently, on random days of the retroactive
 * window, both sides, several accounts, amounts from a cent to the largest) and the balances they
 * make, checked against the test's own computation in exact integer cents on every account and
 * day; then the balances read model rebuilt from the log gives them again.
 */
describe('ledger: random postings against an exact computation', () => {
  const clock = new TestClock();
  const random = seededRandom('ledger random postings');
  const exact = new ExactBalances();
  let platform: TestApp;
  let staff: Staff;
  let accountant: TestUser;
  let head = '';
  let live: Awaited<ReturnType<typeof readBalances>>;
  const http = () => platform.http;

  /** An amount of cents as a client may write it: two decimals, or fewer when the cents allow it. */
  const written = (cents: number): string => {
    const units = Math.floor(cents / 100);
    const fraction = String(cents % 100).padStart(2, '0');
    if (fraction === '00' && random.next() < 0.5) return String(units);
    if (fraction.endsWith('0') && random.next() < 0.5) return `${units}.${fraction[0]}`;
    return `${units}.${fraction}`;
  };
  /** Mostly small amounts, some up to a billion, and one in ten within a million cents of the largest. */
  const randomCents = (): number => {
    const draw = random.next();
    if (draw < 0.1) return MAX_CENTS - random.int(0, 1_000_000);
    if (draw < 0.3) return random.int(1, 100_000_000_000);
    if (draw < 0.4) return random.int(1, 1000) * 100;
    return random.int(1, 100_000);
  };
  const randomBody = (cents = randomCents()): Body => {
    const [branch, account] = random.pick(ACCOUNTS);
    return {
      traceKey: random.uuid(),
      branch,
      account,
      amount: written(cents),
      debitCredit: random.pick(['D', 'C'] as const),
      eventCode: 1,
      description: `random ${random.int(1, 1_000_000)}`,
      dateRef: account === 'SPARSE' ? random.pick(SPARSE_DAYS) : random.pick(WINDOW),
    };
  };

  beforeAll(async () => {
    clock.set(`${TODAY}T15:00:00.000Z`);
    platform = await startPlatform({ env: { LEDGER_RETROACTIVE_DAYS: String(WINDOW_DAYS) }, overrides: [{ provide: CLOCK, useValue: clock }] });
    staff = await Staff.of(platform.http);
    accountant = await staff.hire('accountant');
    await setUpLedger(http(), staff.admin, { accounts: ACCOUNTS });
  });

  afterAll(() => platform?.close());

  it(`${POSTINGS} postings and ${RACES} raced trace keys: every balance of every account and day is the exact sum`, async () => {
    const sends: Send[] = [];
    const bodies = Array.from({ length: POSTINGS }, () => randomBody());
    for (let i = 0; i < bodies.length; ) {
      const size = random.next() < 0.4 ? 1 : random.int(2, 120);
      const chunk = bodies.slice(i, i + size);
      i += size;
      sends.push(chunk.length === 1 ? { kind: 'single', body: chunk[0] } : { kind: 'batch', bodies: chunk });
    }
    for (let i = 0; i < RACES; i += 1) {
      const conflicting = i % 2 === 1;
      // A multiple of ten cents: the repeat writes it with one decimal fewer ("12.3" for "12.30").
      const alone = randomBody(random.int(1, 10_000_000) * 10);
      const cents = Number(centsOf(alone.amount));
      const batched = { ...alone, amount: conflicting ? twoDecimals(BigInt(cents + 1)) : written(cents) };
      // The batch holds the raced item among a few postings of other accounts, at a random place.
      const others = Array.from({ length: random.int(0, 5) }, () => randomBody());
      sends.push({ kind: 'race', alone, batched, others, at: random.int(0, others.length), conflicting });
    }
    random.shuffle(sends);

    const positions: string[] = [];
    const single = (body: Body) => http().post('/ledger/postings').set(bearer(accountant)).send(body);
    const batch = (items: Body[]) => http().post('/ledger/postings/batch').set(bearer(accountant)).send({ items });
    const sendOne = async (send: Send): Promise<void> => {
      if (send.kind === 'single') {
        const { body } = await single(send.body).expect(201);
        positions.push(body.position);
        exact.add(send.body);
      } else if (send.kind === 'batch') {
        const { body } = await batch(send.bodies).expect(200);
        expect(body.results.map((r: { status: number }) => r.status)).toEqual(send.bodies.map(() => 201));
        positions.push(body.position);
        for (const item of send.bodies) exact.add(item);
      } else {
        const { at } = send;
        const items = [...send.others.slice(0, at), send.batched, ...send.others.slice(at)];
        const [alone, batched] = await Promise.all([single(send.alone), batch(items).expect(200)]);
        const results = batched.body.results;
        expect(results.filter((_: unknown, i: number) => i !== at).map((r: { status: number }) => r.status)).toEqual(send.others.map(() => 201));
        for (const other of send.others) exact.add(other);
        positions.push(batched.body.position);
        const raced = results[at];
        const statuses = [alone.status, raced.status].sort();
        if (send.conflicting) {
          expect(statuses).toEqual([201, 409]);
          const refused = alone.status === 409 ? alone.body.error : raced.error;
          expect(refused.code).toBe('LEDGER_TRACE_KEY_CONFLICT');
          expect(Object.keys(refused.details.fields)).toEqual(['amount']);
          exact.add(alone.status === 201 ? send.alone : send.batched);
          if (alone.status === 201) positions.push(alone.body.position);
        } else {
          expect(statuses).toEqual([200, 201]);
          // One acceptance: the other answers it again (a batch item says so with replayed, a request alone with its header).
          expect(raced.result).toEqual(alone.status === 201 ? { ...alone.body, replayed: true } : alone.body);
          if (alone.status === 200) expect(alone.headers['idempotency-hit']).toBe('true');
          positions.push(alone.body.position);
          exact.add(send.alone);
        }
      }
    };
    // Six clients at once, each sending its next request as soon as the last is answered.
    let next = 0;
    const client = async () => {
      for (let i = next++; i < sends.length; i = next++) await sendOne(sends[i]);
    };
    await Promise.all(Array.from({ length: 6 }, client));
    // Positions are fixed-width strings: their order is the log's.
    head = positions.reduce((a, b) => (b > a ? b : a));

    // The run reaches past 2^53 cents (sums beyond a JavaScript number), within PostgreSQL's bigint.
    expect(exact.largest).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(exact.largest).toBeLessThan(2n ** 63n);
    live = await readBalances(http(), accountant, ACCOUNTS, READ_DAYS, head);
    expect(live).toEqual(expectedBalances(exact, ACCOUNTS, READ_DAYS));
    // SPARSE has days without postings between its postings: they carry its balance, totals 0.00.
    expect(live['B1/SPARSE'].days[WINDOW[5]]).toMatchObject({ totalDebit: '0.00', totalCredit: '0.00' });
  }, 120_000);

  it('the balances read model rebuilt from the log answers every balance as before, and as computed', async () => {
    expect(live).toBeDefined();
    await http().post('/projections/ledger_balances/rebuild').set(bearer(staff.admin)).expect(202);
    await projectionsSettled(http(), staff.admin, ['ledger_balances']);
    const rebuilt = await readBalances(http(), accountant, ACCOUNTS, READ_DAYS, head);
    expect(rebuilt).toEqual(live);
    expect(rebuilt).toEqual(expectedBalances(exact, ACCOUNTS, READ_DAYS));
  }, 90_000);

  it('postings accepted while the balances are rebuilt are in them too, once it has caught up', async () => {
    await http().post('/projections/ledger_balances/rebuild').set(bearer(staff.admin)).expect(202);
    const batches = Array.from({ length: 10 }, () => Array.from({ length: 20 }, () => randomBody()));
    const answers = await Promise.all(batches.map((items) => http().post('/ledger/postings/batch').set(bearer(accountant)).send({ items }).expect(200)));
    for (const [i, { body }] of answers.entries()) {
      expect(body.results.map((r: { status: number }) => r.status)).toEqual(batches[i].map(() => 201));
      for (const item of batches[i]) exact.add(item);
    }
    const after = answers.map(({ body }) => body.position as string).reduce((a, b) => (b > a ? b : a));
    await projectionsSettled(http(), staff.admin, ['ledger_balances']);
    expect(await readBalances(http(), accountant, ACCOUNTS, READ_DAYS, after)).toEqual(expectedBalances(exact, ACCOUNTS, READ_DAYS));
  }, 90_000);
});
