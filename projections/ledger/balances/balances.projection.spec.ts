import type { DebitCredit, LedgerPostingAccepted } from '@app/ledger/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { balancesProjection } from './balances.projection';
import { balancesQueries, type DayBalance } from './balances.queries';

const recorded = recorder<LedgerPostingAccepted>((event) => `ledger-posting-${event.data.traceKey}`);
let postings = 0;
const posting = (branch: string, account: string, debitCredit: DebitCredit, amountCents: number, dateRef: string) => {
  const n = ++postings;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return recorded('LedgerPostingAccepted', {
    postingId: id,
    traceKey: id,
    branch,
    account,
    amountCents,
    debitCredit,
    eventCode: 101,
    description: `posting ${n}`,
    details: {},
    dateRef,
    acceptedAt: '2026-11-10T12:00:00.000Z',
    window: { from: '2026-11-03', to: '2026-11-10' },
  });
};

/** A row as the table holds it, the cents as PostgreSQL returns bigints. */
const row = (branch: string, account: string, date: string, totals: [number, number], accumulated: [number, number]) => ({
  branch,
  account,
  date,
  total_debit: String(totals[0]),
  total_credit: String(totals[1]),
  accumulated_debit: String(accumulated[0]),
  accumulated_credit: String(accumulated[1]),
});

// Account A's postings come in out of date order: a posting before its first day, then one on a
// day between two recorded ones; B and the same account number in another branch stay apart.
const events = [
  posting('0001', 'ACC-1', 'C', 10000, '2026-11-05'),
  posting('0001', 'ACC-1', 'D', 3000, '2026-11-05'),
  posting('0001', 'ACC-1', 'C', 5000, '2026-11-07'),
  posting('0001', 'ACC-1', 'D', 2000, '2026-11-03'),
  posting('0001', 'ACC-1', 'C', 1000, '2026-11-06'),
  posting('0001', 'ACC-2', 'D', 700, '2026-11-06'),
  posting('0002', 'ACC-1', 'C', 100, '2026-11-05'),
  posting('0001', 'ACC-1', 'D', 1, '2026-11-07'),
];

const expectedRows = [
  row('0001', 'ACC-1', '2026-11-03', [2000, 0], [2000, 0]),
  row('0001', 'ACC-1', '2026-11-05', [3000, 10000], [5000, 10000]),
  row('0001', 'ACC-1', '2026-11-06', [0, 1000], [5000, 11000]),
  row('0001', 'ACC-1', '2026-11-07', [1, 5000], [5001, 16000]),
  row('0001', 'ACC-2', '2026-11-06', [700, 0], [700, 0]),
  row('0002', 'ACC-1', '2026-11-05', [0, 100], [0, 100]),
];

/** The table's rows in branch, account and date order (sorted here, not by the database's collation). */
const rowsOf = async (readModel: { rows(table: 'ledger_daily_balances'): Promise<Record<string, unknown>[]> }) =>
  (await readModel.rows('ledger_daily_balances')).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
const sortKey = (r: Record<string, unknown>) => [r.branch, r.account, r.date].join('\u0000');

const balance = (dateRef: string, totals: [number, number], accumulated: [number, number]): DayBalance => ({
  dateRef,
  totalDebit: String(totals[0]),
  totalCredit: String(totals[1]),
  accumulatedDebit: String(accumulated[0]),
  accumulatedCredit: String(accumulated[1]),
  balance: String(accumulated[1] - accumulated[0]),
});

describe('ledger balances read model', () => {
  it('reads accepted postings only', () => {
    expect(balancesProjection.eventTypes).toEqual(['LedgerPostingAccepted']);
    expect(Object.keys(balancesProjection.tables)).toEqual(['ledger_daily_balances']);
  });

  describe('postings in one batch', () => {
    const readModel = readModelUnderTest(balancesProjection, { batches: [events] });
    const queries = () => readModel.queries(balancesQueries);

    it('keeps each account’s days: the day’s totals, and every posting up to and including it accumulated', async () => {
      expect(await rowsOf(readModel)).toEqual(expectedRows);
    });

    it('answers the balance of a day with postings', async () => {
      expect(await queries().balanceOn('0001', 'ACC-1', '2026-11-05')).toEqual(balance('2026-11-05', [3000, 10000], [5000, 10000]));
      expect(await queries().balanceOn('0001', 'ACC-1', '2026-11-07')).toEqual(balance('2026-11-07', [1, 5000], [5001, 16000]));
    });

    it('carries the latest earlier day’s accumulated values into a day without postings, with totals of zero', async () => {
      expect(await queries().balanceOn('0001', 'ACC-1', '2026-11-04')).toEqual(balance('2026-11-04', [0, 0], [2000, 0]));
      expect(await queries().balanceOn('0001', 'ACC-1', '2027-01-01')).toEqual(balance('2027-01-01', [0, 0], [5001, 16000]));
    });

    it('answers zeros before the first posting and for an account without any', async () => {
      expect(await queries().balanceOn('0001', 'ACC-1', '2026-11-02')).toEqual(balance('2026-11-02', [0, 0], [0, 0]));
      expect(await queries().balanceOn('0001', 'ACC-9', '2026-11-05')).toEqual(balance('2026-11-05', [0, 0], [0, 0]));
      expect(await queries().balanceOn('0002', 'ACC-2', '2026-11-05')).toEqual(balance('2026-11-05', [0, 0], [0, 0]));
    });

    it('answers a negative balance when debits exceed credits', async () => {
      expect((await queries().balanceOn('0001', 'ACC-2', '2026-11-06')).balance).toBe('-700');
    });

    it('lists the days with postings between two dates, both included, oldest first', async () => {
      expect(await queries().balancesBetween('0001', 'ACC-1', '2026-11-04', '2026-11-07')).toEqual([
        balance('2026-11-05', [3000, 10000], [5000, 10000]),
        balance('2026-11-06', [0, 1000], [5000, 11000]),
        balance('2026-11-07', [1, 5000], [5001, 16000]),
      ]);
      expect(await queries().balancesBetween('0001', 'ACC-1', '2026-11-03', '2026-11-03')).toEqual([balance('2026-11-03', [2000, 0], [2000, 0])]);
      expect(await queries().balancesBetween('0001', 'ACC-1', '2026-11-08', '2026-12-31')).toEqual([]);
      expect(await queries().balancesBetween('0002', 'ACC-1', '2026-11-01', '2026-11-30')).toEqual([balance('2026-11-05', [0, 100], [0, 100])]);
    });
  });

  describe('the same postings one batch each', () => {
    const readModel = readModelUnderTest(balancesProjection);

    it('gives the same rows as one batch', async () => {
      await readModel.applyEachAlone(events);
      expect(await rowsOf(readModel)).toEqual(expectedRows);
    });
  });

  describe('the same postings in batches that split a retroactive posting from the days it moves', () => {
    const readModel = readModelUnderTest(balancesProjection, { batches: [events.slice(0, 3), events.slice(3, 5), events.slice(5)] });

    it('gives the same rows as one batch', async () => {
      expect(await rowsOf(readModel)).toEqual(expectedRows);
    });
  });

  describe('a retroactive posting on top of recorded days', () => {
    const readModel = readModelUnderTest(balancesProjection, { batches: [events] });

    it('moves its day and the accumulated values of every later day of its account, and nothing else', async () => {
      await readModel.apply([posting('0001', 'ACC-1', 'C', 250, '2026-11-04'), posting('0001', 'ACC-1', 'D', 50, '2026-11-06')]);
      expect(await rowsOf(readModel)).toEqual([
        row('0001', 'ACC-1', '2026-11-03', [2000, 0], [2000, 0]),
        row('0001', 'ACC-1', '2026-11-04', [0, 250], [2000, 250]),
        row('0001', 'ACC-1', '2026-11-05', [3000, 10000], [5000, 10250]),
        row('0001', 'ACC-1', '2026-11-06', [50, 1000], [5050, 11250]),
        row('0001', 'ACC-1', '2026-11-07', [1, 5000], [5051, 16250]),
        row('0001', 'ACC-2', '2026-11-06', [700, 0], [700, 0]),
        row('0002', 'ACC-1', '2026-11-05', [0, 100], [0, 100]),
      ]);
    });
  });

  describe('a batch of many postings', () => {
    const readModel = readModelUnderTest(balancesProjection, { batches: [events] });

    it('is applied in two statements, however many postings, accounts and days it holds', async () => {
      const statements: string[] = [];
      const count = (query: { sql: string }) => {
        if (/^\s*(insert|update|delete|select|with)\b/i.test(query.sql)) statements.push(query.sql);
      };
      readModel.knex.on('query', count);
      try {
        const batch = Array.from({ length: 300 }, (_, i) => posting('0001', `ACC-${i % 7}`, i % 2 ? 'D' : 'C', 100 + i, `2026-11-${String(1 + (i % 9)).padStart(2, '0')}`));
        await readModel.apply(batch);
      } finally {
        readModel.knex.off('query', count);
      }
      expect(statements).toHaveLength(2);
    });
  });

  describe('many postings to several accounts on random dates in random order, cut into random batches', () => {
    const random = mulberry32(20261201);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const accounts = [
      ['0001', 'ACC-1'],
      ['0001', 'ACC-2'],
      ['0002', 'ACC-1'],
      ['B-9', 'X'],
    ] as const;
    const dates = Array.from({ length: 30 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);
    // Mostly small amounts, some the largest a posting can carry, so sums pass 2^53.
    const amount = () => (random() < 0.15 ? 999_999_999_999_999 : 1 + Math.floor(random() * 1_000_000));
    const randomEvents = Array.from({ length: 600 }, () => {
      const [branch, account] = pick(accounts);
      return posting(branch, account, random() < 0.5 ? 'D' : 'C', amount(), pick(dates));
    });
    const batches: (typeof randomEvents)[] = [];
    for (let from = 0; from < randomEvents.length; ) {
      const size = 1 + Math.floor(random() * 60);
      batches.push(randomEvents.slice(from, from + size));
      from += size;
    }
    const readModel = readModelUnderTest(balancesProjection, { batches });
    const queries = () => readModel.queries(balancesQueries);
    const expected = exactBalances(randomEvents);

    it('holds the values an exact computation from the postings gives', async () => {
      expect(batches.length).toBeGreaterThan(10);
      expect(expected.some((r) => BigInt(r.accumulated_debit) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
      const rows = await rowsOf(readModel);
      expect(rows).toEqual(expected);
    });

    const oneByOne = readModelUnderTest(balancesProjection);

    it('holds the same values applied one posting per batch', async () => {
      await oneByOne.applyEachAlone(randomEvents);
      expect(await rowsOf(oneByOne)).toEqual(expected);
    });

    it('answers the balance of every date, with postings or without, as the exact computation does', async () => {
      for (const [branch, account] of accounts) {
        const own = expected.filter((r) => r.branch === branch && r.account === account);
        for (const date of ['2026-09-30', ...dates, '2026-11-01']) {
          const latest = own.filter((r) => r.date <= date).at(-1);
          const sameDay = latest?.date === date;
          const accumulatedDebit = latest?.accumulated_debit ?? '0';
          const accumulatedCredit = latest?.accumulated_credit ?? '0';
          expect(await queries().balanceOn(branch, account, date)).toEqual({
            dateRef: date,
            totalDebit: sameDay ? latest.total_debit : '0',
            totalCredit: sameDay ? latest.total_credit : '0',
            accumulatedDebit,
            accumulatedCredit,
            balance: (BigInt(accumulatedCredit) - BigInt(accumulatedDebit)).toString(),
          });
        }
      }
    });
  });
});

/** The rows from the postings alone, with BigInt and no SQL: each day's totals, and sums of every posting up to the day. */
function exactBalances(events: readonly LedgerPostingAccepted[]) {
  const keys = new Set(events.map(({ data }) => JSON.stringify([data.branch, data.account, data.dateRef])));
  const sum = (filter: (data: LedgerPostingAccepted['data']) => boolean, side: DebitCredit) =>
    events
      .map(({ data }) => data)
      .filter((data) => data.debitCredit === side && filter(data))
      .reduce((total, data) => total + BigInt(data.amountCents), 0n)
      .toString();
  return [...keys]
    .map((key) => JSON.parse(key) as [string, string, string])
    .sort((a, b) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1))
    .map(([branch, account, date]) => {
      const sameAccount = (data: LedgerPostingAccepted['data']) => data.branch === branch && data.account === account;
      const onDay = (data: LedgerPostingAccepted['data']) => sameAccount(data) && data.dateRef === date;
      const upTo = (data: LedgerPostingAccepted['data']) => sameAccount(data) && data.dateRef <= date;
      return {
        branch,
        account,
        date,
        total_debit: sum(onDay, 'D'),
        total_credit: sum(onDay, 'C'),
        accumulated_debit: sum(upTo, 'D'),
        accumulated_credit: sum(upTo, 'C'),
      };
    });
}

/** A small seeded generator, so the random case is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
