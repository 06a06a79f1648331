import { Module } from '@nestjs/common';
import { AccountingModule } from './accounting.module';
import { BillingCloseWorkflow } from './application/close-billing-cycle/billing-close.workflow';
import { BillingSchedulerWorkflow } from './application/close-billing-cycle/billing-scheduler.workflow';
import { CarryBalanceHandler } from './application/close-billing-cycle/carry-balance.handler';
import { CloseAccountDayHandler } from './application/close-billing-cycle/close-account-day.handler';
import { FinishBillingCycleCloseHandler } from './application/close-billing-cycle/finish-billing-cycle-close.handler';
import { PostTransactionHandler } from './application/post-transaction/post-transaction.handler';
import { TaskAccountsProcessManager } from './application/post-transaction/task-accounts.process-manager';
import { KnownPrices } from './application/price-task/known-prices';
import { PriceTaskHandler } from './application/price-task/price-task.handler';
import { PayoutEmailsProcessManager } from './application/send-payout-email/payout-emails.process-manager';
import { SendPayoutEmailHandler } from './application/send-payout-email/send-payout-email.handler';

/**
 * Accounting as the worker runs it: the process managers that price tasks and post their fees and
 * rewards, and that email payouts (run by the worker's process-manager runtime), the handlers they
 * dispatch to, the end-of-day schedule and each day's close (workflows, run by the worker) and
 * the handlers the close sends its accounts to.
 */
@Module({
  imports: [AccountingModule],
  providers: [
    KnownPrices,
    PriceTaskHandler,
    PostTransactionHandler,
    SendPayoutEmailHandler,
    TaskAccountsProcessManager,
    PayoutEmailsProcessManager,
    CloseAccountDayHandler,
    CarryBalanceHandler,
    FinishBillingCycleCloseHandler,
    BillingSchedulerWorkflow,
    BillingCloseWorkflow,
  ],
  exports: [TaskAccountsProcessManager, PayoutEmailsProcessManager, BillingSchedulerWorkflow, BillingCloseWorkflow],
})
export class AccountingWorkerModule {}
