import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger.module';
import { LedgerController } from './ledger.controller';

/** The ledger as the HTTP app serves it. */
@Module({ imports: [LedgerModule], controllers: [LedgerController] })
export class LedgerApiModule {}
