import { Command } from '@nestjs/cqrs';
import type { Beak } from '../../domain/beak';
import type { Role } from '../../contract/role';
import type { IssuedToken } from '../access-tokens';

export interface LoggedIn extends IssuedToken {
  /** Trade it at POST /auth/refresh for a new access token (and a new refresh token). */
  refreshToken: string;
  userId: string;
  role: Role;
}

/**
 * Trades an email and a beak for an access token and a refresh token. `client` is the caller's
 * address, for the rate limit per client.
 */
export class LogInCommand extends Command<LoggedIn> {
  constructor(
    readonly email: string,
    readonly beak: Beak,
    readonly client: string,
  ) {
    super();
  }
}
