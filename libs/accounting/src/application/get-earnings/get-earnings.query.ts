import { Query } from '@nestjs/cqrs';

export interface Earnings {
  date: string;
  /** Fees debited minus rewards credited that billing day. */
  earnings: number;
  fees: number;
  rewards: number;
}

/** The management's earnings of one billing day (today when `date` is absent). */
export class GetEarningsQuery extends Query<Earnings> {
  constructor(readonly date?: string) {
    super();
  }
}
