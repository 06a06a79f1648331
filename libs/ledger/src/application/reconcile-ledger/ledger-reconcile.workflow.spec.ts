import { deterministicId } from '@app/core';
import { recorded, timerFired, workflowSpec, workflowStarted } from '@app/core/workflows/workflow-spec';
import { loadLedgerConfig } from '../ledger.config';
import { LedgerReconcileWorkflow } from './ledger-reconcile.workflow';
import { ReconcileLedgerCommand } from './reconcile-ledger.command';

const workflow = (every: string) => new LedgerReconcileWorkflow(loadLedgerConfig({ LEDGER_RECONCILE_MS: every }));

describe('ledger reconcile workflow', () => {
  it('sets its first timer LEDGER_RECONCILE_MS after the first launch, an hour by default', () => {
    workflowSpec(new LedgerReconcileWorkflow(loadLedgerConfig({})))
      .given([])
      .when(workflowStarted('2026-03-10T12:00:00.000Z'))
      .thenTimers({ reconcile: '2026-03-10T13:00:00.000Z' });
    workflowSpec(workflow('90000')).given([]).when(workflowStarted('2026-03-10T12:00:00.000Z')).thenTimers({ reconcile: '2026-03-10T12:01:30.000Z' });
  });

  it('a firing reconciles once, with an id of the firing, and sets the next timer from when it fired: missed periods are not caught up one by one', () => {
    const firing = recorded(timerFired('reconcile', '2026-03-10T13:00:00.000Z', { generation: 1, firedAt: '2026-03-10T17:42:00.000Z' }), { id: 'firing-1' });
    const decision = workflow('3600000').decide(firing as never);
    expect(decision.commands).toEqual([new ReconcileLedgerCommand(deterministicId('firing-1', 'ledger-reconcile'))]);
    expect(decision.schedule).toEqual([{ id: 'reconcile', at: '2026-03-10T18:42:00.000Z', data: null }]);
  });

  it('refuses a period under a second', () => {
    expect(() => loadLedgerConfig({ LEDGER_RECONCILE_MS: '999' })).toThrow('LEDGER_RECONCILE_MS must be a positive whole number of milliseconds of at least 1000, not "999"');
  });
});
