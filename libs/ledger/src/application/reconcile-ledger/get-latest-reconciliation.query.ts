import { Query } from '@nestjs/cqrs';
import type { Reconciliation } from './reconcile-ledger.command';

export type LatestReconciliation = Reconciliation & { at: string };

/** The last reconciliation's answer, with when it ran; NOT_FOUND before the first. */
export class GetLatestReconciliationQuery extends Query<LatestReconciliation> {}
