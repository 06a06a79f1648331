import { spec } from '@app/core/testing/given-when-then';
import type { LedgerPostingAccepted, LedgerPostingApplied, PostingBody } from '../contract/ledger.events';
import type { EventCodeState } from './event-code.decider';
import type { LedgerAccountState } from './ledger-account.decider';
import {
  LedgerAccountBlocked,
  LedgerAccountNotFound,
  LedgerCreditNotAllowed,
  LedgerDateRefOutOfWindow,
  LedgerDebitNotAllowed,
  LedgerEventCodeInactive,
  LedgerEventCodeNotFound,
  LedgerTraceKeyConflict,
} from './ledger.errors';
import { type AcceptPosting, differingFields, postingDecider, postingStream } from './posting.decider';
import { appliedPostingsDecider, appliedPostingsStream } from './applied-postings.decider';

/** What a thrown domain error must match: its code, and its status and details where given. */
const domainError = (expected: { code: string; status?: number; details?: Record<string, unknown> }) => expected;

const traceKey = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const postingId = 'b0000000-0000-4000-8000-000000000001';
const acceptedAt = '2026-11-10T12:00:00.000Z';
const today = '2026-11-10';
const body: PostingBody = {
  traceKey,
  branch: '0001',
  account: 'ACC-42',
  amountCents: 150050,
  debitCredit: 'C',
  eventCode: 101,
  description: 'Salary',
  details: { payroll: { month: '2026-10', lines: [1, 2] }, source: 'hr' },
  dateRef: '2026-11-08',
};
const depositCode: EventCodeState = { status: 'registered', code: 101, description: 'Deposit', allowDebit: true, allowCredit: true, active: true };
const openAccount: LedgerAccountState = { status: 'open', branch: '0001', account: 'ACC-42', holder: 'Ann', blocked: false };

const accept = (
  posting: Partial<PostingBody> = {},
  rules: { eventCode?: EventCodeState; account?: LedgerAccountState; retroactiveDays?: number; today?: string } = {},
): AcceptPosting => ({
  type: 'AcceptPosting',
  data: {
    posting: { ...body, ...posting },
    postingId,
    acceptedAt,
    today: rules.today ?? today,
    retroactiveDays: rules.retroactiveDays ?? 7,
    eventCode: rules.eventCode ?? depositCode,
    account: rules.account ?? openAccount,
  },
});
const accepted = (posting: Partial<PostingBody> = {}, window = { from: '2026-11-03', to: today }): LedgerPostingAccepted => ({
  type: 'LedgerPostingAccepted',
  data: { ...body, ...posting, postingId, acceptedAt, window },
});
const applied: LedgerPostingApplied = {
  type: 'LedgerPostingApplied',
  data: { postingId, traceKey, branch: '0001', account: 'ACC-42', dateRef: '2026-11-08', appliedAt: '2026-11-10T12:00:01.000Z' },
};

describe('posting decider', () => {
  describe('accepting a posting', () => {
    it('accepts a posting that keeps every rule, with its id, its clock and the window it was accepted in', () => {
      spec(postingDecider).given([]).when(accept()).then([accepted()]);
      spec(postingDecider).given([]).when(accept({ debitCredit: 'D' })).then([accepted({ debitCredit: 'D' })]);
    });

    it('refuses an event code that is not registered, or another code’s state', () => {
      spec(postingDecider).given([]).when(accept({}, { eventCode: { status: 'none' } })).thenThrows(LedgerEventCodeNotFound);
      spec(postingDecider).given([]).when(accept({ eventCode: 102 })).thenThrows(domainError({ code: 'LEDGER_EVENT_CODE_NOT_FOUND', status: 422, details: { eventCode: 102 } }));
    });

    it('refuses an inactive event code', () => {
      spec(postingDecider).given([]).when(accept({}, { eventCode: { ...depositCode, active: false } })).thenThrows(LedgerEventCodeInactive);
    });

    it('refuses the side the event code does not allow, and only that side', () => {
      const creditsOnly: EventCodeState = { ...depositCode, allowDebit: false };
      const debitsOnly: EventCodeState = { ...depositCode, allowCredit: false };
      spec(postingDecider).given([]).when(accept({ debitCredit: 'D' }, { eventCode: creditsOnly })).thenThrows(LedgerDebitNotAllowed);
      spec(postingDecider).given([]).when(accept({ debitCredit: 'C' }, { eventCode: creditsOnly })).then([accepted()]);
      spec(postingDecider).given([]).when(accept({ debitCredit: 'C' }, { eventCode: debitsOnly })).thenThrows(LedgerCreditNotAllowed);
      spec(postingDecider).given([]).when(accept({ debitCredit: 'D' }, { eventCode: debitsOnly })).then([accepted({ debitCredit: 'D' })]);
    });

    it('checks the event code before the account, as API.md lists the rules', () => {
      spec(postingDecider).given([]).when(accept({}, { eventCode: { status: 'none' }, account: { status: 'none' } })).thenThrows(LedgerEventCodeNotFound);
    });

    it('refuses an account that is not open, or another account’s state', () => {
      spec(postingDecider).given([]).when(accept({}, { account: { status: 'none' } })).thenThrows(LedgerAccountNotFound);
      spec(postingDecider).given([]).when(accept({ account: 'ACC-43' })).thenThrows(domainError({ code: 'LEDGER_ACCOUNT_NOT_FOUND', details: { branch: '0001', account: 'ACC-43' } }));
      spec(postingDecider).given([]).when(accept({ branch: '0002' })).thenThrows(LedgerAccountNotFound);
    });

    it('refuses a blocked account', () => {
      spec(postingDecider).given([]).when(accept({}, { account: { ...openAccount, blocked: true } })).thenThrows(LedgerAccountBlocked);
    });

    it('takes dateRef from today back to the retroactive window’s first day, both included', () => {
      spec(postingDecider).given([]).when(accept({ dateRef: today })).then([accepted({ dateRef: today })]);
      spec(postingDecider).given([]).when(accept({ dateRef: '2026-11-03' })).then([accepted({ dateRef: '2026-11-03' })]);
    });

    it('refuses a dateRef after today or before the window, with the window in the details', () => {
      spec(postingDecider)
        .given([])
        .when(accept({ dateRef: '2026-11-11' }))
        .thenThrows(domainError({ code: 'LEDGER_DATEREF_OUT_OF_WINDOW', status: 422, details: { dateRef: '2026-11-11', from: '2026-11-03', to: today } }));
      spec(postingDecider).given([]).when(accept({ dateRef: '2026-11-02' })).thenThrows(LedgerDateRefOutOfWindow);
    });

    it('uses the window the handler passes, across month and year ends', () => {
      const window = { from: '2026-12-31', to: '2027-01-01' };
      spec(postingDecider)
        .given([])
        .when(accept({ dateRef: '2026-12-31' }, { today: '2027-01-01', retroactiveDays: 1 }))
        .then([accepted({ dateRef: '2026-12-31' }, window)]);
      spec(postingDecider).given([]).when(accept({ dateRef: '2026-12-30' }, { today: '2027-01-01', retroactiveDays: 1 })).thenThrows(LedgerDateRefOutOfWindow);
      spec(postingDecider).given([]).when(accept({ dateRef: '2024-02-29' }, { today: '2024-03-01', retroactiveDays: 0 })).thenThrows(LedgerDateRefOutOfWindow);
      spec(postingDecider)
        .given([])
        .when(accept({ dateRef: '2024-02-29' }, { today: '2024-03-07', retroactiveDays: 7 }))
        .then([accepted({ dateRef: '2024-02-29' }, { from: '2024-02-29', to: '2024-03-07' })]);
    });

    it('refuses, as an invariant, an amount the edge should never have let through', () => {
      for (const amountCents of [0, -100, 1.5, 1e15]) expect(() => postingDecider.decide(accept({ amountCents }), postingDecider.initialState())).toThrow(/not an amount of cents/);
    });
  });

  describe('a trace key posted again', () => {
    it('decides nothing for the same body: the handler answers the first result', () => {
      spec(postingDecider).given([accepted()]).when(accept()).then([]);
      spec(postingDecider).given([accepted(), applied]).when(accept()).then([]);
    });

    it('takes details with their keys in another order as the same body', () => {
      spec(postingDecider)
        .given([accepted()])
        .when(accept({ details: { source: 'hr', payroll: { lines: [1, 2], month: '2026-10' } } }))
        .then([]);
    });

    it('answers the first result even after the event code, the account or the day moved on', () => {
      spec(postingDecider)
        .given([accepted()])
        .when(accept({}, { eventCode: { ...depositCode, active: false }, account: { ...openAccount, blocked: true }, today: '2026-12-01' }))
        .then([]);
    });

    it('is a conflict naming every field that differs', () => {
      spec(postingDecider)
        .given([accepted()])
        .when(accept({ amountCents: 150051, dateRef: '2026-11-09' }))
        .thenThrows(domainError({ code: 'LEDGER_TRACE_KEY_CONFLICT', status: 409, details: { traceKey, fields: { amountCents: [expect.any(String)], dateRef: [expect.any(String)] } } }));
      spec(postingDecider).given([accepted(), applied]).when(accept({ debitCredit: 'D' })).thenThrows(LedgerTraceKeyConflict);
    });

    it('tells details apart by value, nesting and arrays included', () => {
      const differs = (details: Record<string, unknown>) => differingFields(body, { ...body, details });
      expect(differs({ payroll: { month: '2026-10', lines: [2, 1] }, source: 'hr' })).toEqual(['details']);
      expect(differs({ payroll: { month: '2026-10', lines: [1, 2] } })).toEqual(['details']);
      expect(differs({ payroll: { month: '2026-10', lines: [1, 2] }, source: 'hr', extra: null })).toEqual(['details']);
      expect(differs({ payroll: { month: '2026-10', lines: { 0: 1, 1: 2 } }, source: 'hr' })).toEqual(['details']);
      expect(differs({ payroll: { month: '2026-10', lines: [1, 2] }, source: 'HR' })).toEqual(['details']);
      expect(differs({ source: 'hr', payroll: { lines: [1, 2], month: '2026-10' } })).toEqual([]);
      expect(differingFields(body, { ...body, branch: '0002', account: 'X', eventCode: 7, description: 'y' })).toEqual(['branch', 'account', 'eventCode', 'description']);
    });
  });

  describe('recording applied postings', () => {
    const { appliedAt, ...named } = applied.data;
    const other = { ...named, postingId: 'p-2', traceKey: 't-2', account: 'ACC-7' };
    const record = { type: 'RecordPostingsApplied' as const, data: { postings: [named, other], appliedAt } };

    it('records each posting of a batch as applied, at the batch’s moment, once', () => {
      spec(appliedPostingsDecider).given([]).when(record).then([applied, { type: 'LedgerPostingApplied', data: { ...other, appliedAt } }]);
      spec(appliedPostingsDecider).given([applied]).when(record).then([]);
      expect(appliedPostingsStream('b-1')).toBe('ledger-applied-b-1');
    });

    it('leaves a posting’s own state as its acceptance, whatever an earlier build wrote after it', () => {
      spec(postingDecider).given([accepted(), applied]).when(accept()).then([]);
    });
  });

  it('keys each posting’s stream by its trace key', () => {
    expect(postingStream(traceKey)).toBe(`ledger-posting-${traceKey}`);
  });
});
