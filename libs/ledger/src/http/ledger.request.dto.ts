import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ConsistentQuery, QueryInteger, Text } from '@app/core';

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
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Any of the settings; those left out keep their value. */
export class ChangeEventCodeRequest {
  @Text({ optional: true, maxLength: 200 })
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  allowDebit?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  allowCredit?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
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
