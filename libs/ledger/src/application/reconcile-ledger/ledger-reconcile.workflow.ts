import { Inject, Injectable } from '@nestjs/common';
import { AsWorkflow, deterministicId, type TimerFired, type Workflow, type WorkflowDecision, type WorkflowEvent } from '@app/core';
import { assertNever } from '@app/core/domain';
import type { LedgerReconciled } from '@app/ledger/contract';
import { LEDGER_CONFIG, type LedgerConfig } from '../ledger.config';
import { ReconcileLedgerCommand } from './reconcile-ledger.command';

export type ReconcileDue = TimerFired<'reconcile', null>;

/**
 * The worker's periodic reconciliation, as a workflow with one instance from the first launch:
 * one durable timer, LEDGER_RECONCILE_MS after the start and then after each firing. A firing
 * sends ReconcileLedgerCommand with an id derived from the firing, so a redelivered firing does
 * not reconcile twice. A worker down for hours reconciles once when it is back (the next timer
 * counts from the firing, not from the missed due times). A changed LEDGER_RECONCILE_MS applies
 * from the timer after the pending one.
 */
@Injectable()
@AsWorkflow({
  name: 'ledger-reconcile',
  eventTypes: [],
  startsAtLaunch: 'periodic',
  emits: ['LedgerReconciled'] satisfies LedgerReconciled['type'][],
})
export class LedgerReconcileWorkflow implements Workflow<never, null, ReconcileLedgerCommand, ReconcileDue> {
  constructor(@Inject(LEDGER_CONFIG) private readonly config: Pick<LedgerConfig, 'reconcileMs'>) {}

  initialState(): null {
    return null;
  }

  decide(event: WorkflowEvent<never, ReconcileDue>): WorkflowDecision<ReconcileLedgerCommand> {
    switch (event.type) {
      case 'WorkflowStarted':
        return { schedule: [this.after(event.data.startedAt)] };
      case 'WorkflowTimerFired':
        return { commands: [new ReconcileLedgerCommand(deterministicId(event.id, 'ledger-reconcile'))], schedule: [this.after(event.data.firedAt)] };
      default:
        return assertNever(event);
    }
  }

  evolve(state: null): null {
    return state;
  }

  private after(instant: string) {
    return { id: 'reconcile' as const, at: new Date(new Date(instant).getTime() + this.config.reconcileMs).toISOString(), data: null };
  }
}
