import { Command } from '@nestjs/cqrs';
import type { StoppableCommand } from '@app/core';
import type { LedgerReconciliationDifference } from '@app/ledger/contract';

/** A reconciliation's answer: amounts in differences with two decimals (null where a day is missing on one side). */
export interface Reconciliation {
  reconciliationId: string;
  checkedAccounts: number;
  checkedDays: number;
  differences: LedgerReconciliationDifference[];
  /** Where its LedgerReconciled event landed. */
  position: string;
}

export type ReconcileProgress = (done: number, total: number) => void;

/**
 * Recompute every balance from the accepted postings and compare it with the read model; the
 * result is recorded (LedgerReconciled), so HTTP, the CLI and the periodic job answer alike.
 * `reconciliationId` makes it idempotent (the job derives it from its timer's firing). `progress`
 * hears the accounts compared so far; the workflow runtime sends it with the worker's shutdown signal.
 */
export class ReconcileLedgerCommand extends Command<Reconciliation> implements StoppableCommand {
  constructor(
    readonly reconciliationId: string,
    readonly progress?: ReconcileProgress,
    readonly signal?: AbortSignal,
  ) {
    super();
  }

  withSignal(signal: AbortSignal): ReconcileLedgerCommand {
    return new ReconcileLedgerCommand(this.reconciliationId, this.progress, signal);
  }
}
