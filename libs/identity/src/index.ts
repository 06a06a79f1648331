export * from './contract';
export * from './domain/beak';
export * from './domain/email';
export * from './application/user-id';
export * from './domain/identity.errors';
export * from './application/access-tokens';
export * from './application/user-authority';
export * from './application/authenticator';
export * from './application/register-user/register-user.command';
export * from './http/authorize';
export * from './http/identity-api.module';
export * from './identity.module';
export * from './identity.context';

/** The user directory other contexts may read (declare `usersProjection` in their `@ReadsFrom`). */
export { usersProjection } from '@app/projections/identity/users/users.projection';
export { type UserRow, usersQueries } from '@app/projections/identity/users/users.queries';
