import { Module } from '@nestjs/common';
import { AcceptPostingBatchHandler } from './application/accept-posting-batch/accept-posting-batch.handler';
import { AcceptPostingHandler } from './application/accept-posting/accept-posting.handler';
import { BlockAccountHandler } from './application/block-account/block-account.handler';
import { ChangeEventCodeHandler } from './application/change-event-code/change-event-code.handler';
import { GetBalanceHandler } from './application/get-balance/get-balance.handler';
import { GetBalancesHandler } from './application/get-balance/get-balances.handler';
import { GetStatementHandler } from './application/get-statement/get-statement.handler';
import { GetPostingHandler } from './application/get-posting/get-posting.handler';
import { ListAccountsHandler } from './application/list-accounts/list-accounts.handler';
import { ListEventCodesHandler } from './application/list-event-codes/list-event-codes.handler';
import { OpenAccountHandler } from './application/open-account/open-account.handler';
import { GetLatestReconciliationHandler } from './application/reconcile-ledger/get-latest-reconciliation.handler';
import { ReconcileLedgerHandler } from './application/reconcile-ledger/reconcile-ledger.handler';
import { RegisterEventCodeHandler } from './application/register-event-code/register-event-code.handler';
import { ListDeliveriesHandler } from './application/webhooks/list-deliveries.handler';
import { RecordDeliveryAttemptHandler } from './application/webhooks/record-delivery-attempt.handler';
import { RegisterWebhookHandler } from './application/webhooks/register-webhook.handler';
import { RetryDeliveryHandler } from './application/webhooks/retry-delivery.handler';

/** The ledger context: its command and query handlers. */
@Module({
  providers: [
    RegisterEventCodeHandler,
    ChangeEventCodeHandler,
    ListEventCodesHandler,
    OpenAccountHandler,
    BlockAccountHandler,
    ListAccountsHandler,
    AcceptPostingHandler,
    AcceptPostingBatchHandler,
    GetPostingHandler,
    GetBalanceHandler,
    GetBalancesHandler,
    GetStatementHandler,
    ReconcileLedgerHandler,
    GetLatestReconciliationHandler,
    RegisterWebhookHandler,
    ListDeliveriesHandler,
    RetryDeliveryHandler,
    RecordDeliveryAttemptHandler,
  ],
})
export class LedgerModule {}
