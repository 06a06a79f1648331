import { Query } from '@nestjs/cqrs';
import type { EntryKind } from '@app/projections/accounting/accounts/accounts.queries';

export interface AuditLogEntry {
  at: string;
  kind: EntryKind;
  amount: number;
  taskId: string | null;
  taskTitle: string | null;
  description: string;
}

/**
 * One worker's entries of one billing day (today when `date` is absent), in order: the balance
 * carried in, then the debits, credits and payout; they add up to the day's balance.
 */
export class GetAuditLogQuery extends Query<{ items: AuditLogEntry[] }> {
  constructor(
    readonly userId: string,
    readonly date?: string,
    /** Answer 404 for someone who is not a user, rather than an empty log. */
    readonly options: { mustExist?: boolean } = {},
  ) {
    super();
  }
}
