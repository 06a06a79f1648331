import { Module } from '@nestjs/common';
import { CloseBillingCycleHandler } from './application/close-billing-cycle/close-billing-cycle.handler';
import { CloseDueBillingCycleHandler } from './application/close-billing-cycle/close-due-billing-cycle.handler';
import { GetAuditLogHandler } from './application/get-audit-log/get-audit-log.handler';
import { GetBalanceHandler } from './application/get-balance/get-balance.handler';
import { GetEarningsHandler } from './application/get-earnings/get-earnings.handler';
import { ListAccountsHandler } from './application/list-accounts/list-accounts.handler';
import { ListEmailsHandler } from './application/list-emails/list-emails.handler';
import { PRICE_DRAW, randomPriceDraw } from './application/price-task/price-draw';

/** The accounting context: the handlers both the api and the worker use, and what they share. */
@Module({
  providers: [
    { provide: PRICE_DRAW, useValue: randomPriceDraw },
    CloseBillingCycleHandler,
    CloseDueBillingCycleHandler,
    GetBalanceHandler,
    GetAuditLogHandler,
    ListAccountsHandler,
    GetEarningsHandler,
    ListEmailsHandler,
  ],
  exports: [PRICE_DRAW],
})
export class AccountingModule {}
