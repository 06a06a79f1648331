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
import type { Request } from 'express';
import { currentContext, DomainError } from '@app/core';
import { type AccessClaims, AccessTokens } from '../application/access-tokens';
import type { Role } from '../domain/role';

const ALLOWED_ROLES = Symbol('ALLOWED_ROLES');

type AuthenticatedRequest = Request & { caller?: AccessClaims };

export class Unauthenticated extends DomainError {
  override readonly name = 'Unauthenticated';

  constructor(reason: string) {
    super('UNAUTHENTICATED', reason, 401);
  }
}

export class Forbidden extends DomainError {
  override readonly name = 'Forbidden';

  constructor(allowed: readonly Role[]) {
    super('FORBIDDEN', `Only ${allowed.join(', ')} may do this`, 403, { allowedRoles: allowed });
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
    ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no valid access token' }),
    ...(roles.length > 0 ? [ApiForbiddenResponse({ description: `FORBIDDEN: only ${roles.join(', ')}` })] : []),
  );
}

/** The caller of an endpoint guarded by @Authorize. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): AccessClaims => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().caller!;
});

/**
 * Checks the bearer token and the role, then records the caller in the request context, so every
 * event the request writes carries its `userId`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const caller = this.authenticate(request.header('authorization'));
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, [context.getHandler(), context.getClass()]) ?? [];
    if (roles.length > 0 && !roles.includes(caller.role)) throw new Forbidden(roles);
    request.caller = caller;
    const requestContext = currentContext();
    if (requestContext) requestContext.userId = caller.userId;
    return true;
  }

  private authenticate(authorization: string | undefined): AccessClaims {
    const [scheme, token] = authorization?.split(' ') ?? [];
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw new Unauthenticated('Send an access token: Authorization: Bearer <token>');
    const claims = this.tokens.verify(token);
    if (!claims) throw new Unauthenticated('The access token is invalid or has expired');
    return claims;
  }
}
