import { Global, Module } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/core';
import { AccessTokens } from './application/access-tokens';
import { Authenticator } from './application/authenticator';
import { BeakHashSlots } from './application/beak-hash-slots';
import { BeakHasher } from './application/beak-hasher';
import { ChangeBeakHandler } from './application/change-beak/change-beak.handler';
import { ChangeRoleHandler } from './application/change-role/change-role.handler';
import { DeactivateUserHandler } from './application/deactivate-user/deactivate-user.handler';
import { GetUserHandler } from './application/get-user/get-user.handler';
import { IDENTITY_CONFIG, type IdentityConfig } from './application/identity.config';
import { ListUsersHandler } from './application/list-users/list-users.handler';
import { LogInHandler } from './application/log-in/log-in.handler';
import { LogOutHandler } from './application/log-out/log-out.handler';
import { LoginAttempts } from './application/login-attempts';
import { ReactivateUserHandler } from './application/reactivate-user/reactivate-user.handler';
import { RefreshSessionHandler } from './application/refresh-session/refresh-session.handler';
import { RegisterUserHandler } from './application/register-user/register-user.handler';
import { UpdateAdminRosterHandler } from './application/update-admin-roster/update-admin-roster.handler';
import { UserAuthority } from './application/user-authority';
import { AuthGuard } from './http/authorize';

/**
 * The identity context: its command and query handlers (reached through the CommandBus and
 * QueryBus that PlatformModule provides), beak hashing, access tokens and what the auth
 * guard checks them against. Its settings (IDENTITY_CONFIG) are provided by launch, from
 * `identityContext.config`. Global, because every context's controllers guard their
 * endpoints with `@Authorize`, whose guard needs these wherever it is used.
 */
@Global()
@Module({
  providers: [
    {
      provide: BeakHashSlots,
      inject: [IDENTITY_CONFIG],
      useFactory: (config: IdentityConfig) => new BeakHashSlots(config.beakHashConcurrency, config.beakHashQueue),
    },
    {
      provide: BeakHasher,
      inject: [IDENTITY_CONFIG, BeakHashSlots],
      useFactory: (config: IdentityConfig, slots: BeakHashSlots) => new BeakHasher(config.beakHashCost, slots),
    },
    {
      provide: AccessTokens,
      inject: [IDENTITY_CONFIG, CLOCK],
      useFactory: (config: IdentityConfig, clock: Clock) => new AccessTokens(config.jwtSecret, config.accessTokenTtlSeconds, clock),
    },
    { provide: LoginAttempts, inject: [IDENTITY_CONFIG], useFactory: (config: IdentityConfig) => new LoginAttempts(config.loginLimits) },
    UserAuthority,
    Authenticator,
    AuthGuard,
    RegisterUserHandler,
    UpdateAdminRosterHandler,
    ChangeRoleHandler,
    DeactivateUserHandler,
    ReactivateUserHandler,
    ChangeBeakHandler,
    LogInHandler,
    RefreshSessionHandler,
    LogOutHandler,
    GetUserHandler,
    ListUsersHandler,
  ],
  exports: [AccessTokens, UserAuthority, Authenticator, AuthGuard],
})
export class IdentityModule {}
