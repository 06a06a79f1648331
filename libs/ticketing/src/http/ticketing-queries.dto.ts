import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { ConsistentQuery, isApiDate, QueryInteger, Text } from '@app/core';
import { ReservationResponse } from './ticketing.response.dto';

/** Page sizes of every TicketSafe list (the API's paging convention). */
export const TICKETING_PAGE_SIZE = { minimum: 1, maximum: 500, default: 50 } as const;

const CURSOR = { optional: true, maxLength: 200, pattern: /^[A-Za-z0-9_-]+$/, patternMessage: 'must be a nextCursor this API returned', description: 'The nextCursor of the previous page' };

/** `from` of the shows list: a calendar date (its first instant, UTC) or an ISO-8601 instant with `Z` or an offset. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant `from` names (a date: its start, UTC), or null for anything else. */
export function fromInstant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  if (isApiDate(value)) return new Date(`${value}T00:00:00.000Z`);
  if (!INSTANT.test(value)) return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) || instant.getUTCFullYear() < 2000 || instant.getUTCFullYear() > 2100 ? null : instant;
}

export class ListShowsRequest extends ConsistentQuery {
  @ApiPropertyOptional({
    type: String,
    maxLength: 40,
    example: '2027-03-01',
    description:
      'Only shows starting at or after this: an ISO-8601 instant (`2027-03-01T19:30:00Z`, or with an offset such as `+02:00`, written `%2B02:00` in a URL) or a date `YYYY-MM-DD` (its first instant, UTC), years 2000 to 2100. Without it, every show, the past ones too',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isFrom',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.length <= 40 && fromInstant(value) !== null,
      defaultMessage: () => 'from must be a date YYYY-MM-DD or an ISO-8601 instant such as 2027-03-01T19:30:00Z',
    },
  })
  from?: string;

  @QueryInteger({ ...TICKETING_PAGE_SIZE, description: 'Shows per page' })
  limit?: number;

  @Text(CURSOR)
  cursor?: string;
}

export class PageRequest extends ConsistentQuery {
  @QueryInteger({ ...TICKETING_PAGE_SIZE, description: 'Items per page' })
  limit?: number;

  @Text(CURSOR)
  cursor?: string;
}

export class ShowListItemResponse {
  @ApiProperty({ format: 'uuid' }) showId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() venue!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ type: 'integer', description: 'Seats neither held nor sold' }) available!: number;
  @ApiProperty({ type: 'integer' }) held!: number;
  @ApiProperty({ type: 'integer' }) sold!: number;
}

export class ShowPageResponse {
  @ApiProperty({ type: [ShowListItemResponse] }) items!: ShowListItemResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

export class SeatResponse {
  @ApiProperty({ example: 'A-3-12' }) seatId!: string;
  @ApiProperty({ enum: ['available', 'held', 'sold'] }) status!: string;
}

export class SeatRowResponse {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [SeatResponse], description: 'From seat 1' }) seats!: SeatResponse[];
}

export class SeatSectionResponse {
  @ApiProperty() name!: string;
  @ApiProperty({ example: '49.90', description: 'The price of each seat, a decimal string' }) price!: string;
  @ApiProperty({ type: [SeatRowResponse], description: 'In the order the show was created with' }) rows!: SeatRowResponse[];
}

export class ShowDetailResponse extends ShowListItemResponse {
  @ApiProperty({ type: 'integer', description: 'How long a hold lasts before it expires' }) holdSeconds!: number;
  @ApiProperty({ type: [SeatSectionResponse], description: 'In the order the show was created with' }) sections!: SeatSectionResponse[];
}

export class SalesReservationsResponse {
  @ApiProperty({ type: 'integer' }) held!: number;
  @ApiProperty({ type: 'integer' }) confirmed!: number;
  @ApiProperty({ type: 'integer' }) expired!: number;
  @ApiProperty({ type: 'integer' }) cancelled!: number;
  @ApiProperty({ type: 'integer' }) refunded!: number;
}

export class ShowSalesResponse {
  @ApiProperty({ format: 'uuid' }) showId!: string;
  @ApiProperty({ type: 'integer' }) sold!: number;
  @ApiProperty({ type: 'integer' }) held!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ example: '99.80', description: 'The totals of the confirmed reservations (refunded ones are out), a decimal string' }) revenue!: string;
  @ApiProperty({ type: SalesReservationsResponse, description: 'Reservations by status' }) reservations!: SalesReservationsResponse;
}

export class ReservationPageResponse {
  @ApiProperty({ type: [ReservationResponse] }) items!: ReservationResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

export class WaitlistEntryResponse {
  @ApiProperty({ format: 'uuid' }) waitlistId!: string;
  @ApiProperty({ format: 'uuid' }) showId!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer', description: 'Place in line, from 1' }) place!: number;
  @ApiProperty({ enum: ['waiting', 'offered', 'expired', 'left'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The hold offered to the entry, once offered' }) reservationId!: string | null;
}
