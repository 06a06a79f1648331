import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ConsistentQuery, ReadsFrom } from '@app/core';
import { USERS_PROJECTION } from '@app/projections/identity/users.projection';
import type { AccessClaims } from '../application/access-tokens';
import { ChangeRoleCommand } from '../application/change-role/change-role.command';
import { GetUserQuery } from '../application/get-user/get-user.query';
import { LogInCommand } from '../application/log-in/log-in.command';
import { RegisterUserCommand } from '../application/register-user/register-user.command';
import { Authorize, Caller } from './authorize';
import { ChangeRoleRequest, CreateUserRequest, LogInRequest, RegisterRequest, UserIdParams } from './identity.request.dto';
import { LogInResponse, UserResponse, UserRoleResponse } from './identity.response.dto';

@ApiTags('identity')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('auth')
export class AuthController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('register')
  @ApiCreatedResponse({ type: UserRoleResponse, description: 'Registered with role worker' })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN' })
  register(@Body() body: RegisterRequest): Promise<UserRoleResponse> {
    return this.commandBus.execute(new RegisterUserCommand(body.name, body.email, body.beak, 'worker'));
  }

  @Post('users')
  @Authorize('admin')
  @ApiCreatedResponse({ type: UserRoleResponse })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN' })
  createUser(@Body() body: CreateUserRequest): Promise<UserRoleResponse> {
    return this.commandBus.execute(new RegisterUserCommand(body.name, body.email, body.beak, body.role));
  }

  @Patch('users/:userId/role')
  @Authorize('admin')
  @ApiOkResponse({ type: UserRoleResponse, description: 'Takes effect from the user’s next login' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such user' })
  changeRole(@Param() { userId }: UserIdParams, @Body() body: ChangeRoleRequest): Promise<UserRoleResponse> {
    return this.commandBus.execute(new ChangeRoleCommand(userId, body.role));
  }

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LogInResponse })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS' })
  logIn(@Body() body: LogInRequest): Promise<LogInResponse> {
    return this.commandBus.execute(new LogInCommand(body.email, body.beak));
  }

  @Get('me')
  @Authorize()
  @ReadsFrom(USERS_PROJECTION)
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: the users read model does not have the caller yet; retry with ?after=' })
  me(@Caller() caller: AccessClaims, @Query() _query: ConsistentQuery): Promise<UserResponse> {
    return this.queryBus.execute(new GetUserQuery(caller.userId));
  }
}
