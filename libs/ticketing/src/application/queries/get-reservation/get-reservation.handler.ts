import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, ReadModels } from '@app/core';
import { reservationsQueries } from '@app/projections/ticketing/reservations/reservations.queries';
import { PersonalData } from '../../customers/personal-data';
import type { ReservationView } from '../../reservation-view';
import { reservationRowView } from '../reservation-row-view';
import { GetReservationQuery } from './get-reservation.query';

/** Another customer's reservation is NOT_FOUND, exactly as an unknown id: nobody learns which ids exist. */
@Injectable()
@QueryHandler(GetReservationQuery)
export class GetReservationHandler implements IQueryHandler<GetReservationQuery> {
  constructor(
    private readonly readModels: ReadModels,
    private readonly personalData: PersonalData,
  ) {}

  async execute({ reservationId, asker }: GetReservationQuery): Promise<ReservationView> {
    const row = await this.readModels.use(reservationsQueries).byId(reservationId);
    if (!row || (row.customer_id !== asker.userId && asker.role !== 'admin')) throw new NotFoundError('Reservation', reservationId);
    const customer = (await this.personalData.reveal([row.customer_id])).get(row.customer_id) ?? null;
    return reservationRowView(row, customer);
  }
}
