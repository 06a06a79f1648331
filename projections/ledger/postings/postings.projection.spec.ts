import type { DebitCredit, LedgerPostingEvent } from '@app/ledger/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { postingsProjection } from './postings.projection';
import { postingsQueries, type PostingStatusRow } from './postings.queries';

const recorded = recorder<LedgerPostingEvent>((event) => `ledger-posting-${event.data.traceKey}`);
const keyOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const idOf = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const accept = (n: number, account: string, dateRef: string, debitCredit: DebitCredit = 'C', details: Record<string, unknown> = {}) =>
  recorded('LedgerPostingAccepted', {
    postingId: idOf(n),
    traceKey: keyOf(n),
    branch: '0001',
    account,
    amountCents: 1000 * n,
    debitCredit,
    eventCode: 101,
    description: `posting ${n}`,
    details,
    dateRef,
    acceptedAt: `2026-11-10T12:00:0${n}.000Z`,
    window: { from: '2026-11-03', to: '2026-11-10' },
  });
const apply = (n: number, account: string, dateRef: string) =>
  recorded('LedgerPostingApplied', { postingId: idOf(n), traceKey: keyOf(n), branch: '0001', account, dateRef, appliedAt: `2026-11-10T12:00:0${n}.500Z` });

const details = { zeta: 1, alpha: { nested: [3, 1, 2] }, 'a-b': null };
const events = [
  accept(1, 'ACC-1', '2026-11-08', 'C', details),
  accept(2, 'ACC-1', '2026-11-07', 'D'),
  apply(1, 'ACC-1', '2026-11-08'),
  accept(3, 'ACC-1', '2026-11-08'),
  accept(4, 'ACC-2', '2026-11-08'),
  apply(2, 'ACC-1', '2026-11-07'),
  accept(5, 'ACC-1', '2026-11-07'),
  apply(5, 'ACC-1', '2026-11-07'),
];

const status = (n: number, account: string, dateRef: string, debitCredit: DebitCredit, applied: boolean, own: Record<string, unknown> = {}): PostingStatusRow => ({
  postingId: idOf(n),
  traceKey: keyOf(n),
  branch: '0001',
  account,
  amountCents: String(1000 * n),
  debitCredit,
  eventCode: 101,
  description: `posting ${n}`,
  details: own,
  dateRef,
  status: applied ? 'applied' : 'accepted',
  acceptedAt: `2026-11-10T12:00:0${n}.000Z`,
  appliedAt: applied ? `2026-11-10T12:00:0${n}.500Z` : null,
});

const expectedStatuses = [
  status(1, 'ACC-1', '2026-11-08', 'C', true, details),
  status(2, 'ACC-1', '2026-11-07', 'D', true),
  status(3, 'ACC-1', '2026-11-08', 'C', false),
  status(4, 'ACC-2', '2026-11-08', 'C', false),
  status(5, 'ACC-1', '2026-11-07', 'C', true),
];

describe('ledger postings read model', () => {
  it('reads accepted and applied postings', () => {
    expect([...postingsProjection.eventTypes].sort()).toEqual(['LedgerPostingAccepted', 'LedgerPostingApplied']);
  });

  describe('in one batch', () => {
    const readModel = readModelUnderTest(postingsProjection, { batches: [events] });
    const queries = () => readModel.queries(postingsQueries);

    it('answers each posting by trace key: accepted, or applied with the time the log recorded for it', async () => {
      for (const [i, expected] of expectedStatuses.entries()) expect(await queries().byTraceKey(keyOf(i + 1))).toEqual(expected);
      expect(await queries().byTraceKey(keyOf(99))).toBeUndefined();
    });

    it('keeps the client’s details as sent, key order included', async () => {
      const posting = await queries().byTraceKey(keyOf(1));
      expect(JSON.stringify(posting?.details)).toBe(JSON.stringify(details));
    });

    it('lists an account’s statement by dateRef, then in the order accepted', async () => {
      const { items, next } = await queries().statement('0001', 'ACC-1', { from: '2026-11-01', to: '2026-11-30', limit: 50 });
      expect(items.map((p) => p.traceKey)).toEqual([keyOf(2), keyOf(5), keyOf(1), keyOf(3)]);
      expect(next).toBeUndefined();
      expect((await queries().statement('0001', 'ACC-1', { from: '2026-11-08', to: '2026-11-08', limit: 50 })).items.map((p) => p.traceKey)).toEqual([keyOf(1), keyOf(3)]);
      expect((await queries().statement('0001', 'ACC-3', { from: '2026-11-01', to: '2026-11-30', limit: 50 })).items).toEqual([]);
    });

    it('pages a statement with a cursor, across a day boundary', async () => {
      const statement = (cursor?: { dateRef: string; position: string }) => queries().statement('0001', 'ACC-1', { from: '2026-11-01', to: '2026-11-30', limit: 1, cursor });
      const seen: string[] = [];
      let page = await statement();
      for (;;) {
        seen.push(...page.items.map((p) => p.traceKey));
        if (!page.next) break;
        page = await statement(page.next);
      }
      expect(seen).toEqual([keyOf(2), keyOf(5), keyOf(1), keyOf(3)]);
      const first = await queries().statement('0001', 'ACC-1', { from: '2026-11-01', to: '2026-11-30', limit: 3 });
      expect(first.items).toHaveLength(3);
      expect((await statement(first.next)).items.map((p) => p.traceKey)).toEqual([keyOf(3)]);
    });
  });

  describe('one event per batch', () => {
    const readModel = readModelUnderTest(postingsProjection);
    const batched = readModelUnderTest(postingsProjection, { batches: [events] });

    it('gives the same rows as one batch', async () => {
      await readModel.applyEachAlone(events);
      const sorted = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => String(a.trace_key).localeCompare(String(b.trace_key)));
      expect(sorted(await readModel.rows('ledger_postings'))).toEqual(sorted(await batched.rows('ledger_postings')));
      expect((await readModel.rows('ledger_postings')).length).toBe(5);
    });
  });
});
