import { Module } from '@nestjs/common';
import { ReconciliationMetrics } from '../application/reconcile-ledger/reconciliation-metrics';
import { LedgerModule } from '../ledger.module';
import { AppliedPostingsFeed } from '../application/stream-postings/applied-postings-feed';
import { LedgerController } from './ledger.controller';
import { LedgerStreamController } from './ledger-stream.controller';
import { ReconciliationController } from './reconciliation.controller';
import { WebhooksController } from './webhooks.controller';

/** The ledger as the HTTP app serves it, with the reconciliation gauge of its /metrics. */
@Module({ imports: [LedgerModule], controllers: [LedgerController, LedgerStreamController, ReconciliationController, WebhooksController], providers: [ReconciliationMetrics, AppliedPostingsFeed] })
export class LedgerApiModule {}
