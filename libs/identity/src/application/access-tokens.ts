import { createHmac, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from '../domain/role';

/** Who a request acts for, as an access token vouches. */
export interface AccessClaims {
  userId: string;
  role: Role;
}

export interface IssuedToken {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

const HEADER = base64url({ alg: 'HS256', typ: 'JWT' });

/**
 * JWT access tokens signed with HS256. Small enough to read in full instead of a dependency, and
 * strict where libraries have slipped: only HS256 is accepted (never `none`), signatures are
 * compared in constant time, and `exp` is required. The role is in the token, so a role change
 * applies from the user's next login, at the latest after one token lifetime.
 */
export class AccessTokens {
  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(claims: AccessClaims): IssuedToken {
    const issuedAt = Math.floor(this.now() / 1000);
    const payload = base64url({ sub: claims.userId, role: claims.role, iat: issuedAt, exp: issuedAt + this.ttlSeconds });
    return { accessToken: `${HEADER}.${payload}.${this.sign(`${HEADER}.${payload}`)}`, expiresIn: this.ttlSeconds };
  }

  /** The claims of an unexpired token this platform signed; null for anything else. */
  verify(token: string): AccessClaims | null {
    const [header, payload, signature, ...rest] = token.split('.');
    if (signature === undefined || rest.length > 0) return null;
    const expected = Buffer.from(this.sign(`${header}.${payload}`), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (parse(header)?.alg !== 'HS256') return null;
    const claims = parse(payload);
    if (!claims || typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role)) return null;
    if (typeof claims.exp !== 'number' || claims.exp <= this.now() / 1000) return null;
    return { userId: claims.sub, role: claims.role as Role };
  }

  private sign(input: string): string {
    return createHmac('sha256', this.secret).update(input).digest('base64url');
  }
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parse(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
