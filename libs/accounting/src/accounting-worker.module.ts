import { Module } from '@nestjs/common';
import { AccountingModule } from './accounting.module';
import { BillingSchedulerWorkflow } from './application/close-billing-cycle/billing-scheduler.workflow';
import { PostTransactionHandler } from './application/post-transaction/post-transaction.handler';
import { TaskAccountsProcessManager } from './application/post-transaction/task-accounts.process-manager';
import { PriceTaskHandler } from './application/price-task/price-task.handler';
import { TaskPricingProcessManager } from './application/price-task/task-pricing.process-manager';
import { PayoutEmailsProcessManager } from './application/send-payout-email/payout-emails.process-manager';
import { SendPayoutEmailHandler } from './application/send-payout-email/send-payout-email.handler';

/**
 * Accounting as the worker runs it: the process managers that price tasks, post their fees and
 * rewards, and email payouts (run by the worker's process-manager runtime), the handlers they
 * dispatch to, and the end-of-day schedule (a workflow, run with its timers by the worker).
 */
@Module({
  imports: [AccountingModule],
  providers: [
    PriceTaskHandler,
    PostTransactionHandler,
    SendPayoutEmailHandler,
    TaskPricingProcessManager,
    TaskAccountsProcessManager,
    PayoutEmailsProcessManager,
    BillingSchedulerWorkflow,
  ],
  exports: [TaskPricingProcessManager, TaskAccountsProcessManager, PayoutEmailsProcessManager, BillingSchedulerWorkflow],
})
export class AccountingWorkerModule {}
