import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsUUID, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { CalendarDate, ConsistentQuery, IsText, QueryInteger, Text } from '@app/core';
import { parseAmount } from '../domain/money';

/**
 * An optional field: it may be left out, but not sent as null. (class-validator's IsOptional lets
 * null through, which then reached the log as a setting or details of null, and a read model's
 * not-null column halted on it.)
 */
const IfPresent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** Branch and account: letters, digits and `-`, so `<branch>:<account>` names one account. */
const NAME = { maxLength: 20, pattern: /^[A-Za-z0-9-]{1,20}$/, patternMessage: 'must be 1 to 20 letters, digits or -' };

const CODE = { minimum: 1, maximum: 99_999 };

/** An event code in the path: decimal digits only (`0x10`, `1e2` and `2.5` are refused), 1 to 99999. */
function PathCode(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' && /^[1-9][0-9]{0,4}$/.test(value) ? Number(value) : value)),
    IsInt({ message: 'code must be a whole number from 1 to 99999' }),
    Min(CODE.minimum),
    Max(CODE.maximum),
    ApiProperty({ type: 'integer', ...CODE }),
  );
}

export class RegisterEventCodeRequest {
  @ApiProperty({ type: 'integer', ...CODE, example: 1001 })
  @IsInt()
  @Min(CODE.minimum)
  @Max(CODE.maximum)
  code!: number;

  @Text({ maxLength: 200, example: 'Cash deposit' })
  description!: string;

  @ApiProperty()
  @IsBoolean()
  allowDebit!: boolean;

  @ApiProperty()
  @IsBoolean()
  allowCredit!: boolean;

  @ApiPropertyOptional({ default: true })
  @IfPresent()
  @IsBoolean()
  active?: boolean;
}

/** Any of the settings; those left out keep their value. */
export class ChangeEventCodeRequest {
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 200 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IfPresent()
  @IsText({ maxLength: 200 })
  description?: string;

  @ApiPropertyOptional()
  @IfPresent()
  @IsBoolean()
  allowDebit?: boolean;

  @ApiPropertyOptional()
  @IfPresent()
  @IsBoolean()
  allowCredit?: boolean;

  @ApiPropertyOptional()
  @IfPresent()
  @IsBoolean()
  active?: boolean;
}

export class EventCodeParams {
  @PathCode()
  code!: number;
}

export class OpenAccountRequest {
  @Text({ ...NAME, example: '0001' })
  branch!: string;

  @Text({ ...NAME, example: '12345-6' })
  account!: string;

  @Text({ maxLength: 200, example: 'Ada Lovelace' })
  holder!: string;
}

export class AccountParams {
  @Text(NAME)
  branch!: string;

  @Text(NAME)
  account!: string;
}

export class BlockAccountRequest {
  @Text({ maxLength: 500, multiline: true, example: 'Suspected fraud, under review' })
  reason!: string;
}

/** Page sizes of every ledger list (the API's paging convention). */
export const LEDGER_PAGE_SIZE = { minimum: 1, maximum: 500, default: 50 } as const;

const CURSOR = { optional: true, maxLength: 200, pattern: /^[A-Za-z0-9_-]+$/, patternMessage: 'must be a nextCursor this API returned', description: 'The nextCursor of the previous page' };

export class ListAccountsRequest extends ConsistentQuery {
  @Text({ ...NAME, optional: true, description: 'Only this branch’s accounts' })
  branch?: string;

  @QueryInteger({ ...LEDGER_PAGE_SIZE, description: 'Accounts per page' })
  limit?: number;

  @Text(CURSOR)
  cursor?: string;
}

/** The longest amount written without leading zeros: 9999999999999.99. */
const AMOUNT_MAX_LENGTH = 16;

/** A money amount: a decimal string ("1500.00", "0.5"), positive, at most two decimals; a JSON number is refused. */
function Amount(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, maxLength: AMOUNT_MAX_LENGTH, pattern: '^[0-9]+(\\.[0-9]{1,2})?$', example: '1500.00', description: 'A decimal string, positive, at most two decimals, at most 9999999999999.99; never a JSON number' }),
    ValidateBy({
      name: 'isAmount',
      validator: {
        validate: (value) => amountProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'amount'}: ${amountProblem(args?.value) ?? 'is not an amount'}`,
      },
    }),
  );
}

function amountProblem(value: unknown): string | null {
  if (typeof value === 'string' && value.length > AMOUNT_MAX_LENGTH) return `an amount is at most ${AMOUNT_MAX_LENGTH} characters (9999999999999.99)`;
  const parsed = parseAmount(value);
  return parsed.ok ? null : parsed.reason;
}

export class PostingRequest {
  @ApiProperty({ format: 'uuid', description: 'The client’s key of the posting: posting it again answers the first result' })
  @IsUUID()
  traceKey!: string;

  @Text({ ...NAME, example: '0001' })
  branch!: string;

  @Text({ ...NAME, example: '12345-6' })
  account!: string;

  @Amount()
  amount!: string;

  @ApiProperty({ enum: ['D', 'C'] })
  @IsIn(['D', 'C'])
  debitCredit!: 'D' | 'C';

  @ApiProperty({ type: 'integer', ...CODE, example: 1001 })
  @IsInt()
  @Min(CODE.minimum)
  @Max(CODE.maximum)
  eventCode!: number;

  @Text({ maxLength: 500, example: 'ATM deposit' })
  description!: string;

  @CalendarDate({ description: 'The day the posting counts for: not after today, at most LEDGER_RETROACTIVE_DAYS before it' })
  dateRef!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The client’s own JSON object, kept as sent' })
  @IfPresent()
  @IsObject()
  details?: Record<string, unknown>;
}

export class TraceKeyParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  traceKey!: string;
}

export class BalanceQuery extends ConsistentQuery {
  @CalendarDate({ optional: true, description: 'The balance as of the end of this date (UTC); today when absent' })
  date?: string;
}

export class BalancesQuery extends ConsistentQuery {
  @CalendarDate({ description: 'The first date' })
  from!: string;

  @CalendarDate({ description: 'The last date, at most 366 days from `from` counting both' })
  to!: string;
}

/** The most postings one batch takes. */
export const MAX_BATCH_ITEMS = 1000;

/** Items are checked one by one (see `LedgerController.batch`): a bad item is refused in its own result, not the batch. */
export class PostingBatchRequest {
  @ApiProperty({ type: PostingRequest, isArray: true, minItems: 1, maxItems: MAX_BATCH_ITEMS, description: 'Each posting is checked, accepted or refused on its own' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  items!: unknown[];
}

export class StatementQuery extends ConsistentQuery {
  @CalendarDate({ description: 'The first dateRef' })
  from!: string;

  @CalendarDate({ description: 'The last dateRef' })
  to!: string;

  @QueryInteger({ ...LEDGER_PAGE_SIZE, description: 'Postings per page' })
  limit?: number;

  @Text(CURSOR)
  cursor?: string;
}
