import { Injectable } from '@nestjs/common';
import { type AccessClaims, AccessTokens } from './access-tokens';
import { UserAuthority } from './user-authority';

/**
 * Who an access token speaks for, as the user is now: null for a token that is not exactly one
 * this platform signed, has expired, belongs to a deactivated user, or was issued before the user's
 * last beak change, deactivation or reactivation. The role is the user's current one, not the
 * token's. The auth guard uses it; so can an endpoint that only shows more to some callers.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly authority: UserAuthority,
  ) {}

  async caller(accessToken: string): Promise<AccessClaims | null> {
    const claims = this.tokens.verify(accessToken);
    if (!claims) return null;
    const user = await this.authority.current(claims.userId);
    if (!user || !user.active || claims.version < user.tokensValidFrom || claims.version > user.version) return null;
    return { userId: user.userId, role: user.role };
  }
}
