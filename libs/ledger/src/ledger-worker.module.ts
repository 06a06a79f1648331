import { Module } from '@nestjs/common';
import { OnPostingAcceptedRecordAppliedReactor } from './application/record-posting-applied/on-posting-accepted-record-applied.reactor';
import { RecordPostingsAppliedHandler } from './application/record-posting-applied/record-posting-applied.handler';
import { LedgerReconcileWorkflow } from './application/reconcile-ledger/ledger-reconcile.workflow';
import { WebhookDispatcher } from './application/webhooks/webhook-dispatcher';
import { LedgerModule } from './ledger.module';

/** The ledger as the worker runs it: the reaction that marks postings applied once the balances include them, the periodic reconciliation, and the webhook deliveries. */
@Module({
  imports: [LedgerModule],
  providers: [RecordPostingsAppliedHandler, OnPostingAcceptedRecordAppliedReactor, LedgerReconcileWorkflow, WebhookDispatcher],
  exports: [OnPostingAcceptedRecordAppliedReactor, LedgerReconcileWorkflow],
})
export class LedgerWorkerModule {}
