import { Module } from '@nestjs/common';
import { AccountingModule } from '../accounting.module';
import { AccountingController } from './accounting.controller';

/** Accounting as the HTTP app serves it. */
@Module({ imports: [AccountingModule], controllers: [AccountingController] })
export class AccountingApiModule {}
