import { NotFoundError } from '@app/core/domain';
import { spec } from '@app/core/testing/given-when-then';
import type { LedgerEventCodeChanged, LedgerEventCodeRegistered } from '../contract/ledger.events';
import { type ChangeEventCode, eventCodeDecider, eventCodeStream, type RegisterEventCode } from './event-code.decider';
import { LedgerEventCodeExists } from './ledger.errors';

/** What a thrown domain error must match: its code, and its status and details where given. */
const domainError = (expected: { code: string; status?: number; details?: Record<string, unknown> }) => expected;

const registeredAt = '2026-11-02T09:00:00.000Z';
const changedAt = '2026-11-02T10:00:00.000Z';
const settings = { description: 'Cash deposit', allowDebit: false, allowCredit: true, active: true };
const register: RegisterEventCode = { type: 'RegisterEventCode', data: { code: 101, ...settings, registeredAt } };
const registered: LedgerEventCodeRegistered = { type: 'LedgerEventCodeRegistered', data: { code: 101, ...settings, registeredAt } };
const change = (changes: ChangeEventCode['data']['changes']): ChangeEventCode => ({ type: 'ChangeEventCode', data: { code: 101, changes, changedAt } });

describe('event code decider', () => {
  it('registers an event code with its settings', () => {
    spec(eventCodeDecider).given([]).when(register).then([registered]);
  });

  it('refuses a code registered before, whatever its settings', () => {
    spec(eventCodeDecider).given([registered]).when(register).thenThrows(LedgerEventCodeExists);
    spec(eventCodeDecider).given([registered]).when(register).thenThrows(domainError({ code: 'LEDGER_EVENT_CODE_EXISTS', status: 409, details: { code: 101 } }));
  });

  it('records a change with every setting as it is afterwards, and which changed', () => {
    const expected: LedgerEventCodeChanged = {
      type: 'LedgerEventCodeChanged',
      data: { code: 101, description: 'Cash deposit', allowDebit: true, allowCredit: true, active: false, changed: ['allowDebit', 'active'], changedAt },
    };
    spec(eventCodeDecider).given([registered]).when(change({ allowDebit: true, active: false, allowCredit: true })).then([expected]);
  });

  it('applies a change on top of the previous one', () => {
    const first: LedgerEventCodeChanged = {
      type: 'LedgerEventCodeChanged',
      data: { code: 101, description: 'Deposit', allowDebit: false, allowCredit: true, active: true, changed: ['description'], changedAt },
    };
    spec(eventCodeDecider)
      .given([registered, first])
      .when(change({ active: false }))
      .then([{ type: 'LedgerEventCodeChanged', data: { ...first.data, active: false, changed: ['active'] } }]);
  });

  it('records nothing for a change that changes nothing', () => {
    spec(eventCodeDecider).given([registered]).when(change({ description: 'Cash deposit', active: true })).then([]);
    spec(eventCodeDecider).given([registered]).when(change({})).then([]);
    spec(eventCodeDecider).given([registered]).when(change({ active: undefined })).then([]);
  });

  it('answers NOT_FOUND for a change to a code never registered', () => {
    spec(eventCodeDecider).given([]).when(change({ active: false })).thenThrows(NotFoundError);
    spec(eventCodeDecider).given([]).when(change({ active: false })).thenThrows(domainError({ code: 'NOT_FOUND', status: 404 }));
  });

  it('keeps each code in its own stream', () => {
    expect(eventCodeStream(101)).toBe('ledger-event-code-101');
  });
});
