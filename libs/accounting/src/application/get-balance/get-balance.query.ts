import { Query } from '@nestjs/cqrs';

export interface Balance {
  userId: string;
  balance: number;
  date: string;
}

/** A worker's balance now; `date` is today's billing day. */
export class GetBalanceQuery extends Query<Balance> {
  constructor(readonly userId: string) {
    super();
  }
}
