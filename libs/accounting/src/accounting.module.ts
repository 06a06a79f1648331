import { Module } from '@nestjs/common';
import { BillingCycleCloser } from './application/close-billing-cycle/billing-cycle-closer';
import { CloseBillingCycleHandler } from './application/close-billing-cycle/close-billing-cycle.handler';
import { GetAuditLogHandler } from './application/get-audit-log/get-audit-log.handler';
import { GetBalanceHandler } from './application/get-balance/get-balance.handler';
import { GetEarningsHandler } from './application/get-earnings/get-earnings.handler';
import { ListAccountsHandler } from './application/list-accounts/list-accounts.handler';
import { ListEmailsHandler } from './application/list-emails/list-emails.handler';
import { AccountPoster } from './application/post-transaction/account-poster';
import { PRICE_DRAW, randomPriceDraw } from './application/price-task/price-draw';
import { TaskPricer } from './application/price-task/task-pricer';

/** The accounting context: its command and query handlers and what they share. */
@Module({
  providers: [
    { provide: PRICE_DRAW, useValue: randomPriceDraw },
    TaskPricer,
    AccountPoster,
    BillingCycleCloser,
    CloseBillingCycleHandler,
    GetBalanceHandler,
    GetAuditLogHandler,
    ListAccountsHandler,
    GetEarningsHandler,
    ListEmailsHandler,
  ],
  exports: [PRICE_DRAW, TaskPricer, AccountPoster, BillingCycleCloser],
})
export class AccountingModule {}
