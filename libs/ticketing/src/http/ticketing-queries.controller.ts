import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConsistentQuery, ReadsFrom } from '@app/core';
import { type AccessClaims, Authorize, Caller } from '@app/identity';
import { customersProjection } from '@app/projections/ticketing/customers/customers.projection';
import { reservationsProjection } from '@app/projections/ticketing/reservations/reservations.projection';
import { showsProjection } from '@app/projections/ticketing/shows/shows.projection';
import { waitlistProjection } from '@app/projections/ticketing/waitlist/waitlist.projection';
import { GetReservationQuery } from '../application/queries/get-reservation/get-reservation.query';
import { GetSalesQuery } from '../application/queries/get-sales/get-sales.query';
import { GetShowQuery } from '../application/queries/get-show/get-show.query';
import { ListMyReservationsQuery } from '../application/queries/list-my-reservations/list-my-reservations.query';
import { ListMyWaitlistQuery } from '../application/queries/list-my-waitlist/list-my-waitlist.query';
import { ListShowsQuery } from '../application/queries/list-shows/list-shows.query';
import {
  fromInstant,
  ListShowsRequest,
  PageRequest,
  ReservationPageResponse,
  ShowDetailResponse,
  ShowPageResponse,
  ShowSalesResponse,
  TICKETING_PAGE_SIZE,
  WaitlistEntryResponse,
} from './ticketing-queries.dto';
import { ReservationIdParams, ShowIdParams } from './ticketing.request.dto';
import { ReservationResponse } from './ticketing.response.dto';

/** TicketSafe's reads: every one from its read models, each taking `?after=` (a position a command answered) to read its own writes. */
@ApiTags('ticketing')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('ticketing')
export class TicketingQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('shows')
  @ApiOperation({
    summary: 'Shows by start, then id, a page at a time',
    description:
      '`from`: only shows starting at or after it, an ISO-8601 instant or a date `YYYY-MM-DD` (its first instant, UTC); without it, every show, past ones too. Ordered by `startsAt`, then `showId`; pages are keyset pages, so a show created meanwhile is neither skipped nor repeated. The counts are the seats available, held and sold now.',
  })
  @Authorize()
  @ReadsFrom(showsProjection)
  @ApiOkResponse({ type: ShowPageResponse })
  shows(@Query() query: ListShowsRequest): Promise<ShowPageResponse> {
    const from = query.from === undefined ? undefined : fromInstant(query.from)!;
    return this.queryBus.execute(new ListShowsQuery(from, query.limit ?? TICKETING_PAGE_SIZE.default, query.cursor));
  }

  @Get('shows/:showId')
  @ApiOperation({ summary: 'A show with its seat map: every seat’s status, sections and rows in the order the show was created with' })
  @Authorize()
  @ReadsFrom(showsProjection)
  @ApiOkResponse({ type: ShowDetailResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such show' })
  show(@Param() { showId }: ShowIdParams, @Query() _query: ConsistentQuery): Promise<ShowDetailResponse> {
    return this.queryBus.execute(new GetShowQuery(showId));
  }

  @Get('shows/:showId/sales')
  @ApiOperation({ summary: 'A show’s sales: seats by status, reservations by status, and the revenue of the confirmed ones (refunded ones are out)' })
  @Authorize('admin', 'manager')
  @ReadsFrom(showsProjection)
  @ApiOkResponse({ type: ShowSalesResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such show' })
  sales(@Param() { showId }: ShowIdParams, @Query() _query: ConsistentQuery): Promise<ShowSalesResponse> {
    return this.queryBus.execute(new GetSalesQuery(showId));
  }

  @Get('reservations/mine')
  @ApiOperation({ summary: 'The caller’s reservations, newest first, a page at a time' })
  @Authorize()
  @ReadsFrom(reservationsProjection, customersProjection)
  @ApiOkResponse({ type: ReservationPageResponse, description: 'Newest first (by when each was held)' })
  mine(@Caller() caller: AccessClaims, @Query() query: PageRequest): Promise<ReservationPageResponse> {
    return this.queryBus.execute(new ListMyReservationsQuery(caller.userId, query.limit ?? TICKETING_PAGE_SIZE.default, query.cursor));
  }

  @Get('reservations/:reservationId')
  @ApiOperation({ summary: 'A reservation: its customer’s, or any for an admin' })
  @Authorize()
  @ReadsFrom(reservationsProjection, customersProjection)
  @ApiOkResponse({ type: ReservationResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such reservation of the caller (an admin may read any)' })
  reservation(@Param() { reservationId }: ReservationIdParams, @Caller() caller: AccessClaims, @Query() _query: ConsistentQuery): Promise<ReservationResponse> {
    return this.queryBus.execute(new GetReservationQuery(reservationId, { userId: caller.userId, role: caller.role }));
  }

  @Get('waitlist/mine')
  @ApiOperation({ summary: 'The caller’s waitlist entries, every one, newest first' })
  @Authorize()
  @ReadsFrom(waitlistProjection)
  @ApiOkResponse({ type: WaitlistEntryResponse, isArray: true })
  waitlist(@Caller() caller: AccessClaims, @Query() _query: ConsistentQuery): Promise<WaitlistEntryResponse[]> {
    return this.queryBus.execute(new ListMyWaitlistQuery(caller.userId));
  }
}
