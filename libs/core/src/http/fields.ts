import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';

/**
 * A nested object of a request DTO, validated by its own class. An array, a string or null in its
 * place is refused (class-validator alone lets `[]` through ValidateNested).
 */
export function Nested(type: () => new () => object, options: { optional?: boolean; description?: string } = {}): PropertyDecorator {
  const api = { type: type(), ...(options.description ? { description: options.description } : {}) };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(api)] : [IsDefined(), ApiProperty(api)]),
    IsObject(),
    ValidateNested(),
    Type(type),
  );
}

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]{0,15})$/;

/**
 * A whole number in a query string, written in decimal digits only: `0x10`, `1e2`, ` 5` and `2.5`
 * are refused rather than read as numbers. Declared as an integer with its bounds.
 */
export function QueryInteger(options: { minimum: number; maximum: number; default?: number; description?: string }): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Transform(({ value }) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value)),
    IsInt(),
    Min(options.minimum),
    Max(options.maximum),
    ApiPropertyOptional({
      type: 'integer',
      minimum: options.minimum,
      maximum: options.maximum,
      ...(options.default !== undefined ? { default: options.default } : {}),
      ...(options.description ? { description: options.description } : {}),
    }),
  );
}
