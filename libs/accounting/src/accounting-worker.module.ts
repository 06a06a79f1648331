import { Module } from '@nestjs/common';
import { AccountingModule } from './accounting.module';
import { BillingScheduler } from './application/close-billing-cycle/billing-scheduler';
import { TaskAccountsProcessManager } from './application/post-transaction/task-accounts.process-manager';
import { TaskPricingProcessManager } from './application/price-task/task-pricing.process-manager';
import { PayoutEmailsProcessManager } from './application/send-payout-email/payout-emails.process-manager';
import { PayoutMailer } from './application/send-payout-email/payout-mailer';

/**
 * Accounting as the worker runs it: the process managers that price tasks, post their fees and
 * rewards, and email payouts (run by the worker's process-manager runtime), and the end-of-day
 * scheduler.
 */
@Module({
  imports: [AccountingModule],
  providers: [TaskPricingProcessManager, TaskAccountsProcessManager, PayoutEmailsProcessManager, PayoutMailer, BillingScheduler],
  exports: [TaskPricingProcessManager, TaskAccountsProcessManager, PayoutEmailsProcessManager, BillingScheduler],
})
export class AccountingWorkerModule {}
