import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Text } from '@app/core';
import { MAX_PRICE_CENTS, parsePrice } from '../domain/money';

/** An optional field: it may be left out, but not sent as null. */
const IfPresent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** Section and row names: letters and digits (no `-`, which separates a seat id's parts). */
export const NAME_PATTERN = /^[A-Za-z0-9]{1,10}$/;
export const SEAT_ID_PATTERN = /^[A-Za-z0-9]{1,10}-[A-Za-z0-9]{1,10}-[1-9][0-9]{0,4}$/;
/** The most seats one show may have. */
export const MAX_SHOW_SEATS = 100_000;
/** An ISO-8601 instant in UTC, as the contract writes them. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z$/;

/**
 * Whether the instant exists as written: JavaScript rolls a day the month lacks, or 24:00, over into
 * the next (`2027-02-30` is read as March 2nd), so the parsed date must give back the digits sent.
 * Years 2000 to 2100, as every date of the API.
 */
function isRealInstant(value: string): boolean {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  const parsed = new Date(time).toISOString();
  return parsed.slice(0, 16) === value.slice(0, 16) && parsed >= '2000-01-01' && parsed < '2101-01-01';
}

function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && INSTANT.test(value) && isRealInstant(value),
      defaultMessage: () => 'startsAt must be an ISO-8601 instant in UTC, such as 2027-03-01T19:30:00Z',
    },
  });
}

function IsPrice(): PropertyDecorator {
  return ValidateBy({
    name: 'isPrice',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parsePrice(value) !== null,
      defaultMessage: () => `price must be a decimal string with at most two decimals, from "0" to "${MAX_PRICE_CENTS / 100}", such as "49.90"`,
    },
  });
}

export class RowRequest {
  @ApiProperty({ pattern: NAME_PATTERN.source, example: '1' })
  @IsString()
  @Matches(NAME_PATTERN, { message: 'name must be 1 to 10 letters or digits' })
  name!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, description: 'How many seats, numbered from 1' })
  @IsInt()
  @Min(1)
  @Max(1000)
  seats!: number;
}

export class SectionRequest {
  @ApiProperty({ pattern: NAME_PATTERN.source, example: 'A' })
  @IsString()
  @Matches(NAME_PATTERN, { message: 'name must be 1 to 10 letters or digits' })
  name!: string;

  @ApiProperty({ type: String, example: '49.90', pattern: '^\\d{1,6}(\\.\\d{1,2})?$' })
  @IsPrice()
  price!: string;

  @ApiProperty({ type: [RowRequest], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique((row: RowRequest) => row?.name, { message: 'rows must have different names' })
  @ValidateNested({ each: true })
  @Type(() => RowRequest)
  rows!: RowRequest[];
}

export class CreateShowRequest {
  @Text({ maxLength: 200, example: 'The Magic Flute' })
  title!: string;

  @Text({ maxLength: 200, example: 'Opera House' })
  venue!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2027-03-01T19:30:00Z' })
  @IsInstant()
  startsAt!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 3600, default: 600, description: 'How long a hold lasts before it expires' })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(3600)
  holdSeconds?: number;

  @ApiProperty({ type: [SectionRequest], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique((section: SectionRequest) => section?.name, { message: 'sections must have different names' })
  @ValidateNested({ each: true })
  @Type(() => SectionRequest)
  sections!: SectionRequest[];
}

/** `{ seats: [seatId] }` or `{ section, quantity }`; which one is checked by the controller (exactly one). */
export class ReserveRequest {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 32, pattern: SEAT_ID_PATTERN.source },
    minItems: 1,
    maxItems: 100,
    example: ['A-1-5', 'A-1-6'],
    description: 'Specific seats (`<section>-<row>-<number>`); at most 10 in one reservation',
  })
  @IfPresent()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'seats must not repeat a seat' })
  @IsString({ each: true })
  @Matches(SEAT_ID_PATTERN, { each: true, message: 'each seat must be a seat id such as A-3-12' })
  seats?: string[];

  @ApiPropertyOptional({ pattern: NAME_PATTERN.source, example: 'A', description: 'With `quantity`: the best free seats of this section' })
  @IfPresent()
  @IsString()
  @Matches(NAME_PATTERN, { message: 'section must be 1 to 10 letters or digits' })
  section?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, description: 'With `section`: how many seats (at most 10 in one reservation)' })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(100)
  quantity?: number;
}

export class ConfirmRequest {
  @Text({ maxLength: 200, example: 'tok_visa', description: 'The payment provider’s token. The simulated provider pays any token but `tok_declined` (declined) and `tok_error` (fails)' })
  paymentToken!: string;
}

export class WaitlistRequest {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10 })
  @IsInt()
  @Min(1)
  @Max(10)
  quantity!: number;
}

export class ShowIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  showId!: string;
}

export class ReservationIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  reservationId!: string;
}

export class WaitlistIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  waitlistId!: string;
}
