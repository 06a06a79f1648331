import { Command } from '@nestjs/cqrs';
import type { Beak } from '../../domain/beak';
import type { Role } from '../../domain/role';
import type { IssuedToken } from '../access-tokens';

export interface LoggedIn extends IssuedToken {
  userId: string;
  role: Role;
}

/** Trades an email and a beak for an access token; writes nothing. */
export class LogInCommand extends Command<LoggedIn> {
  constructor(
    readonly email: string,
    readonly beak: Beak,
  ) {
    super();
  }
}
