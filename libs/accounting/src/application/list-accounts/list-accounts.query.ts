import { Query } from '@nestjs/cqrs';

export interface AccountSummary {
  userId: string;
  name: string;
  balance: number;
}

/** Every worker's balance, and anyone else's who has one (a former worker keeps their account). */
export class ListAccountsQuery extends Query<AccountSummary[]> {}
