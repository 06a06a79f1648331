import { Query } from '@nestjs/cqrs';

export interface AnalyticsSummary {
  date: string;
  /** Fees debited minus rewards credited that billing day. */
  managementEarnings: number;
  /** Workers whose balance at the end of that day (as recorded so far) is below zero. */
  negativeBalanceWorkers: number;
}

export class GetSummaryQuery extends Query<AnalyticsSummary> {
  constructor(readonly date?: string) {
    super();
  }
}
