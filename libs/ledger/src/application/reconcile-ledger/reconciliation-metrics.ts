import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { PlatformMetrics } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { LEDGER_RECONCILIATIONS_STREAM, type LedgerReconciled } from '../../contract/ledger.events';

/** Gives /metrics the last reconciliation's count of differences, read from its stream at each scrape (0 before the first). */
@Injectable()
export class ReconciliationMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: PlatformMetrics,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    this.metrics.measureLedgerReconciliation(async () => {
      const [event] = await this.store.readStream(LEDGER_RECONCILIATIONS_STREAM, { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
      return event ? (event.data as LedgerReconciled['data']).differenceCount : 0;
    });
  }
}
