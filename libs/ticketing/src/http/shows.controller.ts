import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPaymentRequiredResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Idempotent, IdempotencyKey, ValidationFailedError } from '@app/core';
import { type AccessClaims, Authorize, Caller } from '@app/identity';
import { CancelReservationCommand } from '../application/cancel-reservation/cancel-reservation.command';
import { ConfirmReservationCommand } from '../application/confirm-reservation/confirm-reservation.command';
import { CreateShowCommand } from '../application/create-show/create-show.command';
import { ReserveSeatsCommand, type SeatRequest } from '../application/reserve-seats/reserve-seats.command';
import { JoinWaitlistCommand, LeaveWaitlistCommand } from '../application/waitlist/waitlist.commands';
import { parsePrice } from '../domain/money';
import { CreateShowRequest, ConfirmRequest, MAX_SHOW_SEATS, ReservationIdParams, ReserveRequest, ShowIdParams, WaitlistIdParams, WaitlistRequest } from './ticketing.request.dto';
import { CreatedShowResponse, JoinedWaitlistResponse, PositionResponse, ReservationWrittenResponse } from './ticketing.response.dto';

const DEFAULT_HOLD_SECONDS = 600;

/** The body of a reservation: exactly one of its two forms. */
function seatRequest(body: ReserveRequest): SeatRequest {
  const bySeats = body.seats !== undefined;
  const bySection = body.section !== undefined || body.quantity !== undefined;
  if (bySeats === bySection) {
    const message = 'Send either { seats } or { section, quantity }';
    throw new ValidationFailedError(message, { seats: [message] });
  }
  if (bySeats) return { seats: body.seats! };
  if (body.section === undefined || body.quantity === undefined) {
    const missing = body.section === undefined ? 'section' : 'quantity';
    throw new ValidationFailedError(`${missing} is required with ${missing === 'section' ? 'quantity' : 'section'}`, { [missing]: [`${missing} is required`] });
  }
  return { section: body.section, quantity: body.quantity };
}

@ApiTags('ticketing')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('ticketing')
export class ShowsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('shows')
  @ApiOperation({ summary: 'Create a show with its seat map (sections with a price, rows with a number of seats)' })
  @Authorize('admin', 'manager')
  @ApiCreatedResponse({ type: CreatedShowResponse })
  create(@Body() body: CreateShowRequest, @Caller() caller: AccessClaims): Promise<CreatedShowResponse> {
    const seats = body.sections.reduce((sum, section) => sum + section.rows.reduce((n, row) => n + row.seats, 0), 0);
    if (seats > MAX_SHOW_SEATS) throw new ValidationFailedError(`A show has at most ${MAX_SHOW_SEATS} seats, not ${seats}`, { sections: [`at most ${MAX_SHOW_SEATS} seats in all`] });
    const { title, venue, startsAt, holdSeconds = DEFAULT_HOLD_SECONDS } = body;
    const sections = body.sections.map((section) => ({ name: section.name, priceCents: parsePrice(section.price)!, rows: section.rows.map(({ name, seats: n }) => ({ name, seats: n })) }));
    return this.commandBus.execute(new CreateShowCommand({ title, venue, startsAt: new Date(startsAt).toISOString(), holdSeconds, sections }, caller.userId));
  }

  @Post('shows/:showId/reservations')
  @ApiOperation({ summary: 'Hold seats: specific ones, or the best free ones of a section (side by side in one row when possible), until expiresAt' })
  @Authorize()
  @Idempotent({ required: false })
  @ApiCreatedResponse({ type: ReservationWrittenResponse, description: 'Held' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such show' })
  @ApiConflictResponse({ description: 'TICKETING_SEATS_UNAVAILABLE: seats asked for are held or sold (details.seats), or the section has too few free; IDEMPOTENCY_KEY_REUSED: the key was sent with another body' })
  @ApiUnprocessableEntityResponse({ description: 'TICKETING_UNKNOWN_SEAT: no such seat or section; TICKETING_TOO_MANY_SEATS: more than 10; TICKETING_SHOW_STARTED: the show has started' })
  reserve(@Param() { showId }: ShowIdParams, @Body() body: ReserveRequest, @Caller() caller: AccessClaims): Promise<ReservationWrittenResponse> {
    return this.commandBus.execute(new ReserveSeatsCommand(showId, caller.userId, seatRequest(body)));
  }

  @Post('reservations/:reservationId/confirm')
  @ApiOperation({ summary: 'Pay for a held reservation and get its tickets; the same Idempotency-Key again answers the same, charged once' })
  @HttpCode(200)
  @Authorize()
  @Idempotent({ required: true })
  @ApiOkResponse({ type: ReservationWrittenResponse, description: 'Confirmed, with its tickets and paymentId' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such reservation of the caller' })
  @ApiPaymentRequiredResponse({ description: 'TICKETING_PAYMENT_DECLINED: the provider declined; the hold stays until it expires' })
  @ApiBadGatewayResponse({ description: 'TICKETING_PAYMENT_UNAVAILABLE: the provider failed; nothing was kept, retry with the same key' })
  @ApiConflictResponse({
    description: 'TICKETING_RESERVATION_EXPIRED: the hold ran out (a payment that raced it was refunded); TICKETING_RESERVATION_CANCELLED: it was cancelled; IDEMPOTENCY_KEY_REUSED: the key was sent with another body',
  })
  confirm(
    @Param() { reservationId }: ReservationIdParams,
    @Body() { paymentToken }: ConfirmRequest,
    @Caller() caller: AccessClaims,
    @IdempotencyKey() key: string,
  ): Promise<ReservationWrittenResponse> {
    return this.commandBus.execute(new ConfirmReservationCommand(reservationId, caller.userId, paymentToken, key));
  }

  @Post('reservations/:reservationId/cancel')
  @ApiOperation({ summary: 'Cancel a reservation: its seats return; a confirmed one is refunded first (status refunded)' })
  @HttpCode(200)
  @Authorize()
  @ApiOkResponse({ type: ReservationWrittenResponse, description: 'Cancelled (cancelling a cancelled one changes nothing)' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such reservation of the caller (an admin may cancel any)' })
  @ApiConflictResponse({ description: 'TICKETING_RESERVATION_EXPIRED: the hold ran out already' })
  @ApiBadGatewayResponse({ description: 'TICKETING_PAYMENT_UNAVAILABLE: the refund could not be made; retry' })
  cancel(@Param() { reservationId }: ReservationIdParams, @Caller() caller: AccessClaims): Promise<ReservationWrittenResponse> {
    return this.commandBus.execute(new CancelReservationCommand(reservationId, caller));
  }

  @Post('shows/:showId/waitlist')
  @ApiOperation({ summary: 'Join a sold-out show’s waitlist: seats that come back are offered in line, as a hold' })
  @Authorize()
  @ApiCreatedResponse({ type: JoinedWaitlistResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such show' })
  @ApiConflictResponse({ description: 'TICKETING_SEATS_AVAILABLE: enough seats are free to reserve directly' })
  @ApiUnprocessableEntityResponse({ description: 'TICKETING_SHOW_STARTED: the show has started' })
  joinWaitlist(@Param() { showId }: ShowIdParams, @Body() { quantity }: WaitlistRequest, @Caller() caller: AccessClaims): Promise<JoinedWaitlistResponse> {
    return this.commandBus.execute(new JoinWaitlistCommand(showId, caller.userId, quantity));
  }

  @Delete('waitlist/:waitlistId')
  @ApiOperation({ summary: 'Leave a waitlist' })
  @Authorize()
  @ApiOkResponse({ type: PositionResponse, description: 'Left (an entry no longer waiting is left as it is)' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such waitlist entry of the caller' })
  leaveWaitlist(@Param() { waitlistId }: WaitlistIdParams, @Caller() caller: AccessClaims): Promise<PositionResponse> {
    return this.commandBus.execute(new LeaveWaitlistCommand(waitlistId, caller.userId));
  }
}
