import { Module } from '@nestjs/common';
import { BlockAccountHandler } from './application/block-account/block-account.handler';
import { ChangeEventCodeHandler } from './application/change-event-code/change-event-code.handler';
import { ListAccountsHandler } from './application/list-accounts/list-accounts.handler';
import { ListEventCodesHandler } from './application/list-event-codes/list-event-codes.handler';
import { OpenAccountHandler } from './application/open-account/open-account.handler';
import { RegisterEventCodeHandler } from './application/register-event-code/register-event-code.handler';

/** The ledger context: its command and query handlers. */
@Module({
  providers: [RegisterEventCodeHandler, ChangeEventCodeHandler, ListEventCodesHandler, OpenAccountHandler, BlockAccountHandler, ListAccountsHandler],
})
export class LedgerModule {}
