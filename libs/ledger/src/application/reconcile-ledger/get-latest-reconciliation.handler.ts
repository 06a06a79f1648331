import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { LEDGER_RECONCILIATIONS_STREAM, type LedgerReconciled } from '../../contract/ledger.events';
import { toReconciliation } from './reconcile-ledger.handler';
import { GetLatestReconciliationQuery, type LatestReconciliation } from './get-latest-reconciliation.query';

/** The last event of the reconciliations stream: whichever process ran it (the API, the CLI, the worker's job). */
@Injectable()
@QueryHandler(GetLatestReconciliationQuery)
export class GetLatestReconciliationHandler implements IQueryHandler<GetLatestReconciliationQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(): Promise<LatestReconciliation> {
    const [event] = await this.store.readStream(LEDGER_RECONCILIATIONS_STREAM, { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
    if (!event) throw new NotFoundError('Reconciliation', 'latest');
    const data = event.data as LedgerReconciled['data'];
    return { ...toReconciliation(data, event.position), at: data.at };
  }
}
