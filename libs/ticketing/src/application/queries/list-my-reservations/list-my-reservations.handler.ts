import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { reservationsQueries } from '@app/projections/ticketing/reservations/reservations.queries';
import { PersonalData } from '../../customers/personal-data';
import { decodePositionCursor, encodePositionCursor } from '../cursors';
import { reservationRowView } from '../reservation-row-view';
import { ListMyReservationsQuery, type ReservationPage } from './list-my-reservations.query';

/** Keyset pages on the position of each hold, newest first: a reservation never moves between pages. The customer's data is read once per page. */
@Injectable()
@QueryHandler(ListMyReservationsQuery)
export class ListMyReservationsHandler implements IQueryHandler<ListMyReservationsQuery> {
  constructor(
    private readonly readModels: ReadModels,
    private readonly personalData: PersonalData,
  ) {}

  async execute({ customerId, limit, cursor }: ListMyReservationsQuery): Promise<ReservationPage> {
    const { rows, more } = await this.readModels
      .use(reservationsQueries)
      .pageOfCustomer(customerId, { limit, createdBefore: cursor === undefined ? undefined : decodePositionCursor(cursor) });
    const customer = rows.length === 0 ? null : ((await this.personalData.reveal([customerId])).get(customerId) ?? null);
    return {
      items: rows.map((row) => reservationRowView(row, customer)),
      nextCursor: more ? encodePositionCursor(rows[rows.length - 1].created_position) : null,
    };
  }
}
