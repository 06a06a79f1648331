import { Query } from '@nestjs/cqrs';

export interface Balance {
  userId: string;
  balance: number;
  date: string;
}

/** A worker's balance now, on their open billing day (`date`): today, or the next day once today is closed. */
export class GetBalanceQuery extends Query<Balance> {
  constructor(readonly userId: string) {
    super();
  }
}
