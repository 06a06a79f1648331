import { Module } from '@nestjs/common';
import { OnPostingAcceptedRecordAppliedReactor } from './application/record-posting-applied/on-posting-accepted-record-applied.reactor';
import { RecordPostingAppliedHandler } from './application/record-posting-applied/record-posting-applied.handler';
import { LedgerReconcileWorkflow } from './application/reconcile-ledger/ledger-reconcile.workflow';
import { LedgerModule } from './ledger.module';

/** The ledger as the worker runs it: the reaction that marks postings applied once the balances include them, and the periodic reconciliation. */
@Module({
  imports: [LedgerModule],
  providers: [RecordPostingAppliedHandler, OnPostingAcceptedRecordAppliedReactor, LedgerReconcileWorkflow],
  exports: [OnPostingAcceptedRecordAppliedReactor, LedgerReconcileWorkflow],
})
export class LedgerWorkerModule {}
