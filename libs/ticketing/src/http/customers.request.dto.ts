import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { isEmail, IsUUID, ValidateBy, ValidateIf } from 'class-validator';
import { IsText, Text, textProblem } from '@app/core';

/** An optional field: it may be left out, but not sent as null. */
const IfPresent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

const EMAIL_RULES = { maxLength: 254 };
/** Digits, spaces, `+`, `-` and parentheses, with at least one digit. */
export const PHONE_PATTERN = /^[0-9+() -]*[0-9][0-9+() -]*$/;
const PHONE_RULES = { maxLength: 32, pattern: PHONE_PATTERN, patternMessage: 'must be a phone number: digits, spaces, +, - and parentheses' };

function emailProblem(value: unknown): string | null {
  const problem = textProblem(value, EMAIL_RULES);
  if (problem) return problem;
  try {
    return isEmail(value as string) ? null : 'must be an email address';
  } catch {
    return 'must be an email address';
  }
}

/** An email address: acceptable text first (at most 254 characters), only then parsed as an address. */
function EmailAddress(): PropertyDecorator {
  return applyDecorators(
    trimmed(),
    ApiProperty({ type: String, format: 'email', maxLength: EMAIL_RULES.maxLength, example: 'ann@example.com' }),
    ValidateBy({
      name: 'isEmailAddress',
      validator: {
        validate: (value) => emailProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'email'} ${emailProblem(args?.value) ?? 'must be an email address'}`,
      },
    }),
  );
}

/** A customer's personal data for tickets, stored encrypted. */
export class PersonalDataRequest {
  @Text({ maxLength: 200, example: 'Ann Smith', description: 'The name printed on tickets' })
  fullName!: string;

  @EmailAddress()
  email!: string;

  @ApiPropertyOptional({ type: String, maxLength: PHONE_RULES.maxLength, pattern: PHONE_PATTERN.source, example: '+44 20 7946 0958' })
  @trimmed()
  @IfPresent()
  @IsText(PHONE_RULES)
  phone?: string;
}

export class CustomerIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}
