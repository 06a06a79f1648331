import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy, type ValidationOptions } from 'class-validator';
import { isUtcDate } from '../time/dates';

/** The dates the API takes: anything outside is a typing mistake, not a billing day. */
export const FIRST_DATE = '2000-01-01';
export const LAST_DATE = '2100-12-31';

/** A real calendar date written `YYYY-MM-DD` (UTC), from 2000-01-01 to 2100-12-31. */
export function isApiDate(value: unknown): value is string {
  return isUtcDate(value) && value >= FIRST_DATE && value <= LAST_DATE;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isApiDate(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'date'} must be a calendar date written YYYY-MM-DD, from ${FIRST_DATE} to ${LAST_DATE}`,
      },
    },
    options,
  );
}

/** A date field or query parameter: validated and declared (format `date`) by one decorator. */
export function CalendarDate(options: { optional?: boolean; description?: string; example?: string } = {}): PropertyDecorator {
  const api = {
    type: String,
    format: 'date',
    example: options.example ?? '2024-05-01',
    description: `${options.description ? `${options.description}. ` : ''}From ${FIRST_DATE} to ${LAST_DATE}`,
  };
  return applyDecorators(...(options.optional ? [IsOptional(), ApiPropertyOptional(api)] : [ApiProperty(api)]), IsCalendarDate());
}
