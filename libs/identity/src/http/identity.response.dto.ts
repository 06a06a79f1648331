import { ApiProperty } from '@nestjs/swagger';
import type { BeakChange } from '../application/change-beak/change-beak.command';
import type { ActivationChange } from '../application/deactivate-user/deactivate-user.command';
import type { UserView } from '../application/get-user/get-user.query';
import type { LoggedIn } from '../application/log-in/log-in.command';
import type { LoggedOut } from '../application/log-out/log-out.command';
import type { Refreshed } from '../application/refresh-session/refresh-session.command';
import { ROLES, type Role } from '../contract/role';

const POSITION = 'Event-store position of the last event written; pass it as ?after= to read your write';

export class UserRoleResponse {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ description: POSITION })
  position!: string;
}

export class RefreshResponse implements Refreshed {
  @ApiProperty({ description: 'Send as Authorization: Bearer <accessToken>' })
  accessToken!: string;

  @ApiProperty({ description: 'Trade it at POST /auth/refresh for new tokens; each refresh token works once' })
  refreshToken!: string;

  @ApiProperty({ type: 'integer', description: 'Seconds until the access token expires' })
  expiresIn!: number;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}

export class LogInResponse extends RefreshResponse implements LoggedIn {}

export class LoggedOutResponse implements LoggedOut {
  @ApiProperty({ description: POSITION })
  position!: string;
}

export class BeakChangedResponse implements BeakChange {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ description: POSITION })
  position!: string;
}

export class ActivationResponse implements ActivationChange {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ description: POSITION })
  position!: string;
}

export class UserResponse implements UserView {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ description: 'A deactivated user cannot log in, and is never given a task' })
  active!: boolean;
}
