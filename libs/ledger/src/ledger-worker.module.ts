import { Module } from '@nestjs/common';
import { LedgerModule } from './ledger.module';

/** The ledger as the worker runs it. */
@Module({ imports: [LedgerModule] })
export class LedgerWorkerModule {}
