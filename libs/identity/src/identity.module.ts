import { Global, Module } from '@nestjs/common';
import { AccessTokens } from './application/access-tokens';
import { BeakHasher } from './application/beak-hasher';
import { ChangeRoleHandler } from './application/change-role/change-role.handler';
import { GetUserHandler } from './application/get-user/get-user.handler';
import { IDENTITY_CONFIG, type IdentityConfig, loadIdentityConfig } from './application/identity.config';
import { ListUsersHandler } from './application/list-users/list-users.handler';
import { LogInHandler } from './application/log-in/log-in.handler';
import { RegisterUserHandler } from './application/register-user/register-user.handler';
import { AuthGuard } from './http/authorize';

/**
 * The identity context: its command and query handlers, beak hashing and access tokens. Global,
 * because every context's controllers guard their endpoints with `@Authorize`, whose guard needs
 * the access tokens wherever it is used.
 */
@Global()
@Module({
  providers: [
    { provide: IDENTITY_CONFIG, useFactory: () => loadIdentityConfig() },
    { provide: BeakHasher, inject: [IDENTITY_CONFIG], useFactory: (config: IdentityConfig) => new BeakHasher(config.beakHashCost) },
    {
      provide: AccessTokens,
      inject: [IDENTITY_CONFIG],
      useFactory: (config: IdentityConfig) => new AccessTokens(config.jwtSecret, config.accessTokenTtlSeconds),
    },
    AuthGuard,
    RegisterUserHandler,
    ChangeRoleHandler,
    LogInHandler,
    GetUserHandler,
    ListUsersHandler,
  ],
  exports: [IDENTITY_CONFIG, AccessTokens, AuthGuard, RegisterUserHandler],
})
export class IdentityModule {}
