import { Module } from '@nestjs/common';
import { ReconciliationMetrics } from '../application/reconcile-ledger/reconciliation-metrics';
import { LedgerModule } from '../ledger.module';
import { LedgerController } from './ledger.controller';
import { ReconciliationController } from './reconciliation.controller';

/** The ledger as the HTTP app serves it, with the reconciliation gauge of its /metrics. */
@Module({ imports: [LedgerModule], controllers: [LedgerController, ReconciliationController], providers: [ReconciliationMetrics] })
export class LedgerApiModule {}
