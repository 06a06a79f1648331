import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNumber, IsPositive, IsUUID, isEmail, ValidateBy, ValidateIf } from 'class-validator';
import { Nested, Text, textProblem } from '@app/core';
import { ROLES, type Role, SELF_REGISTERED_ROLES, type SelfRegisteredRole } from '../contract/role';

/** A beak measure: a positive, finite number. */
function Measure(example: number, description?: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: Number, minimum: 0, exclusiveMinimum: true, example, ...(description ? { description } : {}) }),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    IsPositive(),
  );
}

export class BeakRequest {
  @Measure(12.3, 'Positive; compared after rounding to one decimal')
  length!: number;

  @Measure(4.1)
  depth!: number;

  @Measure(3.2)
  width!: number;

  @Measure(0.7)
  curvature!: number;
}

const EMAIL_RULES = { maxLength: 254 };

/**
 * An email address: first acceptable text (no control characters or lone surrogates, at most 254
 * characters), only then checked as an address, so no hostile string reaches the address parser.
 */
function EmailAddress(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    ApiProperty({ type: String, format: 'email', maxLength: EMAIL_RULES.maxLength, example: 'ann@popug.io' }),
    ValidateBy({
      name: 'isEmailAddress',
      validator: {
        validate: (value) => emailProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'email'} ${emailProblem(args?.value) ?? 'must be an email address'}`,
      },
    }),
  );
}

function emailProblem(value: unknown): string | null {
  const problem = textProblem(value, EMAIL_RULES);
  if (problem) return problem;
  try {
    return isEmail(value as string) ? null : 'must be an email address';
  } catch {
    return 'must be an email address';
  }
}

class Credentials {
  @EmailAddress()
  email!: string;

  @Nested(() => BeakRequest)
  beak!: BeakRequest;
}

export class LogInRequest extends Credentials {}

class NewUser extends Credentials {
  @Text({ maxLength: 200, example: 'Ann' })
  name!: string;
}

export class RegisterRequest extends NewUser {
  @ApiPropertyOptional({ enum: SELF_REGISTERED_ROLES, default: 'worker', description: 'worker (staff) or customer (tickets and orders)' })
  @ValidateIf((_: object, value: unknown) => value !== undefined)
  @IsIn(SELF_REGISTERED_ROLES)
  role?: SelfRegisteredRole;
}

export class CreateUserRequest extends NewUser {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class ChangeRoleRequest {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class RefreshTokenRequest {
  @Text({ maxLength: 200, description: 'The refresh token from POST /auth/login or the last POST /auth/refresh' })
  refreshToken!: string;
}

export class ChangeBeakRequest {
  @Nested(() => BeakRequest, { description: 'The beak the caller logs in with now' })
  oldBeak!: BeakRequest;

  @Nested(() => BeakRequest, { description: 'The beak to log in with from now on' })
  newBeak!: BeakRequest;
}

export class UserIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}
