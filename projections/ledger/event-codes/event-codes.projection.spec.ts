import type { LedgerEventCodeEvent } from '@app/ledger/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { eventCodesProjection } from './event-codes.projection';
import { eventCodesQueries } from './event-codes.queries';

const at = '2026-03-01T09:00:00.000Z';
const later = '2026-03-02T10:00:00.000Z';
const recorded = recorder<LedgerEventCodeEvent>((event) => `ledger-event-code-${event.data.code}`);

/** Code 20 registered, then deactivated and allowed debits; code 3 registered inactive; a change of a code never registered. */
const log = [
  recorded('LedgerEventCodeRegistered', { code: 20, description: 'Deposit', allowDebit: false, allowCredit: true, active: true, registeredAt: at }),
  recorded('LedgerEventCodeRegistered', { code: 3, description: 'Fee', allowDebit: true, allowCredit: false, active: false, registeredAt: at }),
  recorded('LedgerEventCodeChanged', { code: 20, description: 'Cash deposit', allowDebit: true, allowCredit: true, active: false, changed: ['description', 'allowDebit', 'active'], changedAt: later }),
  recorded('LedgerEventCodeChanged', { code: 99, description: 'x', allowDebit: true, allowCredit: true, active: true, changed: ['active'], changedAt: later }),
];

describe('ledger event codes', () => {
  const readModel = readModelUnderTest(eventCodesProjection, { generations: ['served', 2], batches: [log] });

  it('keeps each registered code with its settings as they are now, and when it was registered', async () => {
    expect(await readModel.rows('ledger_event_codes', 'served', 'code')).toEqual([
      { code: 3, description: 'Fee', allow_debit: true, allow_credit: false, active: false, created_at: new Date(at) },
      { code: 20, description: 'Cash deposit', allow_debit: true, allow_credit: true, active: false, created_at: new Date(at) },
    ]);
  });

  it('gives the same rows applied one event per batch as in one batch', async () => {
    await readModel.applyEachAlone(log, 2);
    expect(await readModel.rows('ledger_event_codes', 2, 'code')).toEqual(await readModel.rows('ledger_event_codes', 'served', 'code'));
  });

  it('lists every code by code', async () => {
    expect((await readModel.queries(eventCodesQueries).all()).map((row) => row.code)).toEqual([3, 20]);
  });
});
