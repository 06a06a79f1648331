import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsNotEmpty, IsNumber, IsPositive, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ROLES, type Role } from '../domain/role';

export class BeakRequest {
  @ApiProperty({ example: 12.3, description: 'Positive; compared after rounding to one decimal' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  length!: number;

  @ApiProperty({ example: 4.1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  depth!: number;

  @ApiProperty({ example: 3.2 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  width!: number;

  @ApiProperty({ example: 0.7 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  curvature!: number;
}

class Credentials {
  @ApiProperty({ example: 'ann@popug.io' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ type: BeakRequest })
  @IsDefined()
  @ValidateNested()
  @Type(() => BeakRequest)
  beak!: BeakRequest;
}

export class LogInRequest extends Credentials {}

export class RegisterRequest extends Credentials {
  @ApiProperty({ example: 'Ann' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class CreateUserRequest extends RegisterRequest {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class ChangeRoleRequest {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class UserIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}
