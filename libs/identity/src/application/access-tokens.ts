import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Clock, systemClock } from '@app/core';
import { ROLES, type Role } from '../contract/role';

/** Who a request acts for. */
export interface AccessClaims {
  userId: string;
  role: Role;
}

/** What an access token says: the claims, and the user's version when it was issued. */
export interface TokenClaims extends AccessClaims {
  version: number;
}

export interface IssuedToken {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

const HEADER = base64url({ alg: 'HS256', typ: 'JWT' });
/** Tokens verified lately, so a client's every request costs no HMAC: about 2 MB when full. */
const MAX_VERIFIED = 10_000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * JWT access tokens signed with HS256. Small enough to read in full instead of a dependency, and
 * strict where libraries have slipped: only HS256 is accepted (never `none`), the signature is
 * compared as the exact text it must be (in constant time), so a token with anything appended or
 * changed is refused even where it would decode to the same bytes, and `exp` is required.
 * `ver` is the user's version at issue: the auth guard refuses a token older than the user's last
 * beak change, deactivation or reactivation, and reads the role from the user as it is now.
 * `iat` and `exp` are wall-clock instants, so they come from the platform's Clock. A token
 * verified once is remembered (its exact text, never a refusal) until it expires or is pushed out.
 */
export class AccessTokens {
  private readonly verified = new Map<string, { claims: TokenClaims; expiresAt: number }>();

  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
    private readonly clock: Clock = systemClock,
  ) {}

  issue(claims: TokenClaims): IssuedToken {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const payload = base64url({ sub: claims.userId, role: claims.role, ver: claims.version, iat: issuedAt, exp: issuedAt + this.ttlSeconds });
    return { accessToken: `${HEADER}.${payload}.${this.sign(`${HEADER}.${payload}`)}`, expiresIn: this.ttlSeconds };
  }

  /** The claims of an unexpired token this platform signed, exactly as it signed it; null for anything else. */
  verify(token: string): TokenClaims | null {
    const now = this.clock.now().getTime() / 1000;
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > now) return known.claims;
      this.verified.delete(token);
      return null;
    }
    const [header, payload, signature, ...rest] = token.split('.');
    if (signature === undefined || rest.length > 0 || ![header, payload, signature].every((part) => BASE64URL.test(part))) return null;
    const expected = Buffer.from(this.sign(`${header}.${payload}`), 'ascii');
    const given = Buffer.from(signature, 'ascii');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (parse(header)?.alg !== 'HS256') return null;
    const claims = parse(payload);
    if (!claims || typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role)) return null;
    if (!Number.isSafeInteger(claims.ver) || (claims.ver as number) < 0) return null;
    if (typeof claims.exp !== 'number' || claims.exp <= now) return null;
    const verified = Object.freeze({ userId: claims.sub, role: claims.role as Role, version: claims.ver as number });
    this.verified.set(token, { claims: verified, expiresAt: claims.exp });
    if (this.verified.size > MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
    return verified;
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
