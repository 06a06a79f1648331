/**
 * Identity's public surface, what other contexts and the apps may import: its published events,
 * its definition, the guard every endpoint uses, and the user directory's read model.
 */
export * from './contract';
export * from './identity.context';
export { type AccessClaims } from './application/access-tokens';
export { Authorize, Caller } from './http/authorize';
/** Who calls, for an endpoint that tells admins more (health). */
export { Authenticator } from './application/authenticator';
/** The user directory other contexts may read (declare `usersProjection` in their `@ReadsFrom`). */
export { usersProjection } from '@app/projections/identity/users/users.projection';
export { type UserRow, usersQueries } from '@app/projections/identity/users/users.queries';
