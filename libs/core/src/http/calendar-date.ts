import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isUtcDate } from '../time/dates';

/** A real calendar date written `YYYY-MM-DD` (UTC), as the API's dates are. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isUtcDate(value),
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a calendar date written YYYY-MM-DD`,
      },
    },
    options,
  );
}
