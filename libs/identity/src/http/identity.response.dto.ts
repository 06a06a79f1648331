import { ApiProperty } from '@nestjs/swagger';
import type { LoggedIn } from '../application/log-in/log-in.command';
import type { UserView } from '../application/get-user/get-user.query';
import { ROLES, type Role } from '../domain/role';

export class UserRoleResponse {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ description: 'Event-store position of the last event written; pass it as ?after= to read your write' })
  position!: string;
}

export class LogInResponse implements LoggedIn {
  @ApiProperty({ description: 'Send as Authorization: Bearer <accessToken>' })
  accessToken!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ description: 'Seconds until the token expires' })
  expiresIn!: number;
}

export class UserResponse implements UserView {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}
