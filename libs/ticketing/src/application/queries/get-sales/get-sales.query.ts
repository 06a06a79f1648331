import { Query } from '@nestjs/cqrs';

export interface ShowSales {
  showId: string;
  sold: number;
  held: number;
  available: number;
  /** The totals of the confirmed reservations (refunded ones are out), a decimal string. */
  revenue: string;
  reservations: { held: number; confirmed: number; expired: number; cancelled: number; refunded: number };
}

/** A show's seats by status, its reservations by status and its revenue. */
export class GetSalesQuery extends Query<ShowSales> {
  constructor(readonly showId: string) {
    super();
  }
}
