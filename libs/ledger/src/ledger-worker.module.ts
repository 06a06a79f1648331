import { Module } from '@nestjs/common';
import { OnPostingAcceptedRecordAppliedReactor } from './application/record-posting-applied/on-posting-accepted-record-applied.reactor';
import { RecordPostingAppliedHandler } from './application/record-posting-applied/record-posting-applied.handler';
import { LedgerModule } from './ledger.module';

/** The ledger as the worker runs it: the reaction that marks postings applied once the balances include them. */
@Module({
  imports: [LedgerModule],
  providers: [RecordPostingAppliedHandler, OnPostingAcceptedRecordAppliedReactor],
  exports: [OnPostingAcceptedRecordAppliedReactor],
})
export class LedgerWorkerModule {}
