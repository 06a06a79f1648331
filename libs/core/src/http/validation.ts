import { type ArgumentMetadata, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { UnsupportedMediaTypeError, ValidationFailedError } from './errors';

/**
 * The global pipe: unknown fields are refused, every failure names its field, and nothing a client
 * sends can make validation itself fail with a 500. An endpoint that takes a body gets one only
 * from `application/json` (the body parser reads nothing else): no body at all is 415.
 */
@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      exceptionFactory: (errors) => {
        const fields = flatten(errors);
        return new ValidationFailedError(`Invalid input: ${Object.keys(fields).join(', ')}`, fields);
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const wholeBody = metadata.type === 'body' && metadata.data === undefined;
    if (wholeBody && value === undefined) throw new UnsupportedMediaTypeError();
    if (wholeBody && isDto(metadata) && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new ValidationFailedError('The body must be a JSON object', {}, { reason: 'the body must be a JSON object' });
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      // A validator or transformer that threw on hostile input is still the input's fault.
      throw new ValidationFailedError('Invalid input', {}, { reason: 'the input could not be read' });
    }
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe();
}

function isDto(metadata: ArgumentMetadata): boolean {
  const type = metadata.metatype;
  return typeof type === 'function' && ![Object, Array, String, Number, Boolean].includes(type as never);
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
