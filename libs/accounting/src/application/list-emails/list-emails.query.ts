import { Query } from '@nestjs/cqrs';
import type { EmailStatus } from '@app/projections/accounting/billing/billing.queries';

export interface PayoutEmailView {
  emailId: string;
  userId: string;
  to: string;
  subject: string;
  amount: number;
  date: string;
  /** pending (not tried yet), failed (being retried), sent (over SMTP) or outbox (kept locally). */
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  text: string;
}

/** Payout emails, oldest first; only one worker's with `userId`. */
export class ListEmailsQuery extends Query<PayoutEmailView[]> {
  constructor(readonly userId?: string) {
    super();
  }
}
