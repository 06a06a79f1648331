import { Body, Controller, createParamDecorator, type ExecutionContext, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ConsistentQuery, ReadsFrom } from '@app/core';
import { usersProjection } from '@app/projections/identity/users/users.projection';
import type { AccessClaims } from '../application/access-tokens';
import { ChangeBeakCommand } from '../application/change-beak/change-beak.command';
import { ChangeRoleCommand } from '../application/change-role/change-role.command';
import { DeactivateUserCommand } from '../application/deactivate-user/deactivate-user.command';
import { GetUserQuery } from '../application/get-user/get-user.query';
import { LogInCommand } from '../application/log-in/log-in.command';
import { LogOutCommand } from '../application/log-out/log-out.command';
import { ReactivateUserCommand } from '../application/reactivate-user/reactivate-user.command';
import { RefreshSessionCommand } from '../application/refresh-session/refresh-session.command';
import { RegisterUserCommand } from '../application/register-user/register-user.command';
import { Authorize, Caller } from './authorize';
import {
  ChangeBeakRequest,
  ChangeRoleRequest,
  CreateUserRequest,
  LogInRequest,
  RefreshTokenRequest,
  RegisterRequest,
  UserIdParams,
} from './identity.request.dto';
import { ActivationResponse, BeakChangedResponse, LoggedOutResponse, LogInResponse, RefreshResponse, UserResponse, UserRoleResponse } from './identity.response.dto';

/** The caller's address, for the per-client login limit (behind a proxy, as Express's `trust proxy` reads it). */
const ClientAddress = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Request>();
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
});

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' as const } } };
const TOO_MANY = ApiTooManyRequestsResponse({
  description: 'TOO_MANY_ATTEMPTS: too many failed logins for this email or from this client address; see Retry-After',
  headers: RETRY_AFTER,
});
const HASHING_BUSY = ApiServiceUnavailableResponse({
  description: 'SERVICE_UNAVAILABLE: every beak-hash slot and its queue are busy; see Retry-After',
  headers: RETRY_AFTER,
});
const CHANGE_CONFLICT = ApiConflictResponse({
  description: 'LAST_ADMIN: the user is the last active admin; CONCURRENCY_CONFLICT: the user kept changing meanwhile, try again',
});

@ApiTags('identity')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('auth')
export class AuthController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('register')
  @ApiOperation({ summary: 'Register yourself, as a worker (the default) or a customer' })
  @ApiCreatedResponse({ type: UserRoleResponse, description: 'Registered with the role asked for, worker by default' })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN' })
  @HASHING_BUSY
  register(@Body() body: RegisterRequest): Promise<UserRoleResponse> {
    return this.commandBus.execute(new RegisterUserCommand(body.name, body.email, body.beak, body.role ?? 'worker'));
  }

  @Post('users')
  @Authorize('admin')
  @ApiOperation({ summary: 'Create a user with any role' })
  @ApiCreatedResponse({ type: UserRoleResponse })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN' })
  @HASHING_BUSY
  createUser(@Body() body: CreateUserRequest): Promise<UserRoleResponse> {
    return this.commandBus.execute(new RegisterUserCommand(body.name, body.email, body.beak, body.role));
  }

  @Patch('users/:userId/role')
  @Authorize('admin')
  @ApiOperation({ summary: 'Change a user’s role; it applies to their next request' })
  @ApiOkResponse({ type: UserRoleResponse, description: 'The user’s next request already has the new role' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such user' })
  @CHANGE_CONFLICT
  changeRole(@Param() { userId }: UserIdParams, @Body() body: ChangeRoleRequest): Promise<UserRoleResponse> {
    return this.commandBus.execute(new ChangeRoleCommand(userId, body.role));
  }

  @Post('users/:userId/deactivate')
  @HttpCode(200)
  @Authorize('admin')
  @ApiOperation({ summary: 'Deactivate a user: no more logins or refreshes, and their tokens stop working at once' })
  @ApiOkResponse({ type: ActivationResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such user' })
  @CHANGE_CONFLICT
  deactivate(@Param() { userId }: UserIdParams): Promise<ActivationResponse> {
    return this.commandBus.execute(new DeactivateUserCommand(userId));
  }

  @Post('users/:userId/reactivate')
  @HttpCode(200)
  @Authorize('admin')
  @ApiOperation({ summary: 'Reactivate a user: they can log in again (tokens from before stay void)' })
  @ApiOkResponse({ type: ActivationResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such user' })
  @ApiConflictResponse({ description: 'CONCURRENCY_CONFLICT: the user kept changing meanwhile, try again' })
  reactivate(@Param() { userId }: UserIdParams): Promise<ActivationResponse> {
    return this.commandBus.execute(new ReactivateUserCommand(userId));
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with email and beak: an access token and a refresh token' })
  @ApiOkResponse({ type: LogInResponse })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS: unknown email, wrong beak, or a deactivated user' })
  @TOO_MANY
  @HASHING_BUSY
  logIn(@Body() body: LogInRequest, @ClientAddress() client: string): Promise<LogInResponse> {
    return this.commandBus.execute(new LogInCommand(body.email, body.beak, client));
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for a new access token and a new refresh token' })
  @ApiOkResponse({ type: RefreshResponse, description: 'The refresh token sent no longer works; use the new one' })
  @ApiUnauthorizedResponse({
    description: 'INVALID_REFRESH_TOKEN: unknown, already used, logged out or expired, or its user was deactivated or changed their beak since',
  })
  refresh(@Body() body: RefreshTokenRequest): Promise<RefreshResponse> {
    return this.commandBus.execute(new RefreshSessionCommand(body.refreshToken));
  }

  @Post('logout')
  @HttpCode(200)
  @Authorize()
  @ApiOperation({ summary: 'Log out: the refresh token no longer works (the access token expires on its own)' })
  @ApiOkResponse({ type: LoggedOutResponse })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no valid access token; INVALID_REFRESH_TOKEN: not a current refresh token of the caller' })
  logOut(@Caller() caller: AccessClaims, @Body() body: RefreshTokenRequest): Promise<LoggedOutResponse> {
    return this.commandBus.execute(new LogOutCommand(caller.userId, body.refreshToken));
  }

  @Post('me/beak')
  @HttpCode(200)
  @Authorize()
  @ApiOperation({ summary: 'Change your own beak; every token issued before stops working' })
  @ApiOkResponse({ type: BeakChangedResponse, description: 'Log in again with the new beak' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no valid access token; INVALID_CREDENTIALS: oldBeak is not the caller’s beak' })
  @TOO_MANY
  @HASHING_BUSY
  changeBeak(@Caller() caller: AccessClaims, @Body() body: ChangeBeakRequest, @ClientAddress() client: string): Promise<BeakChangedResponse> {
    return this.commandBus.execute(new ChangeBeakCommand(caller.userId, body.oldBeak, body.newBeak, client));
  }

  @Get('me')
  @Authorize()
  @ReadsFrom(usersProjection)
  @ApiOperation({ summary: 'Who you are' })
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: the users read model does not have the caller yet; retry with ?after=' })
  me(@Caller() caller: AccessClaims, @Query() _query: ConsistentQuery): Promise<UserResponse> {
    return this.queryBus.execute(new GetUserQuery(caller.userId));
  }
}
