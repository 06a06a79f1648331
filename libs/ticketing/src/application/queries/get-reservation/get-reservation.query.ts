import { Query } from '@nestjs/cqrs';
import type { ReservationView } from '../../reservation-view';
import type { Asker } from '../../shows';

/** One reservation, for its customer or an admin (anyone else is told it does not exist). */
export class GetReservationQuery extends Query<ReservationView> {
  constructor(
    readonly reservationId: string,
    readonly asker: Asker,
  ) {
    super();
  }
}
