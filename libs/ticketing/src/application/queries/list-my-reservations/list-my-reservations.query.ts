import { Query } from '@nestjs/cqrs';
import type { ReservationView } from '../../reservation-view';

export interface ReservationPage {
  items: ReservationView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A customer's reservations, newest first, a page at a time. */
export class ListMyReservationsQuery extends Query<ReservationPage> {
  constructor(
    readonly customerId: string,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
