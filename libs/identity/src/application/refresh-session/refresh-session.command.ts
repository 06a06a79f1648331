import { Command } from '@nestjs/cqrs';
import type { Role } from '../../contract/role';
import type { IssuedToken } from '../access-tokens';

export interface Refreshed extends IssuedToken {
  /** The next refresh token; the one sent no longer works. */
  refreshToken: string;
  userId: string;
  role: Role;
}

/** Trades a refresh token for a new access token and a new refresh token. */
export class RefreshSessionCommand extends Command<Refreshed> {
  constructor(readonly refreshToken: string) {
    super();
  }
}
