import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { currentContext, defineError, FORBIDDEN, headerOf, type HttpRequest, UNAUTHENTICATED } from '@app/core';
import type { AccessClaims } from '../application/access-tokens';
import { Authenticator } from '../application/authenticator';
import type { Role } from '../contract/role';

const ALLOWED_ROLES = Symbol('ALLOWED_ROLES');

type AuthenticatedRequest = HttpRequest & { caller?: AccessClaims };

export class Unauthenticated extends defineError(UNAUTHENTICATED) {
  override readonly name = 'Unauthenticated';

  constructor(reason: string) {
    super(reason);
  }
}

export class Forbidden extends defineError(FORBIDDEN) {
  override readonly name = 'Forbidden';

  constructor(allowed: readonly Role[]) {
    super(`Only ${allowed.join(', ')} may do this`, { allowedRoles: allowed });
  }
}

/**
 * Guards an endpoint (or every endpoint of a controller): it needs a valid access token and, when
 * roles are named, one of those roles. `@Authorize()` alone means "anyone logged in".
 */
export function Authorize(...roles: Role[]) {
  return applyDecorators(
    SetMetadata(ALLOWED_ROLES, roles),
    UseGuards(AuthGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no valid access token (missing, altered, expired, or void since its user was deactivated or changed their beak)' }),
    ...(roles.length > 0 ? [ApiForbiddenResponse({ description: `FORBIDDEN: only ${roles.join(', ')}` })] : []),
  );
}

/** The caller of an endpoint guarded by @Authorize. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): AccessClaims => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().caller!;
});

/**
 * Checks the bearer token against the user as they are now (Authenticator): a deactivated user, or
 * a token issued before the user's last beak change, deactivation or reactivation, is 401; the
 * role checked is the user's current one, not the one in the token, so a demotion is a 403 on the
 * very next request. Then it records the caller in the request context, so every event the request
 * writes carries its `userId`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const caller = await this.authenticate(headerOf(request, 'authorization'));
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, [context.getHandler(), context.getClass()]) ?? [];
    if (roles.length > 0 && !roles.includes(caller.role)) throw new Forbidden(roles);
    request.caller = caller;
    const requestContext = currentContext();
    if (requestContext) requestContext.userId = caller.userId;
    return true;
  }

  private async authenticate(authorization: string | undefined): Promise<AccessClaims> {
    const [scheme, token, ...rest] = authorization?.split(' ') ?? [];
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) throw new Unauthenticated('Send an access token: Authorization: Bearer <token>');
    const caller = await this.authenticator.caller(token);
    if (!caller) throw new Unauthenticated('The access token is invalid, has expired, or no longer holds (log in again)');
    return caller;
  }
}
