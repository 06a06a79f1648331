import { Query } from '@nestjs/cqrs';
import type { DebitCredit } from '@app/ledger/contract';
import { formatCents } from '../../domain/money';
import type { PostingStatusRow } from '@app/projections/ledger/postings/postings.queries';

/** A posting as its status, statements and webhooks show it: amounts with two decimals. */
export interface PostingStatus {
  postingId: string;
  traceKey: string;
  branch: string;
  account: string;
  amount: string;
  debitCredit: DebitCredit;
  eventCode: number;
  description: string;
  details: Record<string, unknown>;
  dateRef: string;
  status: 'accepted' | 'applied';
  acceptedAt: string;
  appliedAt: string | null;
}

export function toPostingStatus({ amountCents, ...row }: PostingStatusRow): PostingStatus {
  return { ...row, amount: formatCents(amountCents) };
}

/** One posting by its trace key: `accepted`, or `applied` once the balances include it. */
export class GetPostingQuery extends Query<PostingStatus> {
  constructor(readonly traceKey: string) {
    super();
  }
}
