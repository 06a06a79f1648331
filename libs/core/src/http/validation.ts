import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError } from './errors';

/** The global pipe: unknown fields are refused, and every failure names its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new ValidationFailedError(`Invalid input: ${Object.keys(fields).join(', ')}`, fields);
    },
  });
}

function flatten(errors: ValidationError[], prefix = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) fields[path] = Object.values(error.constraints);
    if (error.children?.length) Object.assign(fields, flatten(error.children, path));
  }
  return fields;
}
