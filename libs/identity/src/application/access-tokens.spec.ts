import { createHmac } from 'node:crypto';
import { AccessTokens } from './access-tokens';

const secret = Buffer.from('a test secret of reasonable length');
const claims = { userId: '0b5e3c3e-8a5b-4f7e-9a43-2a4c1e0f6d11', role: 'manager' as const };

function tokens(now = 1_700_000_000_000, s = secret): AccessTokens {
  return new AccessTokens(s, 3600, () => now);
}

function part(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('access tokens', () => {
  it('issues a token that verifies to the same claims, with its lifetime', () => {
    const issued = tokens().issue(claims);
    expect(issued.expiresIn).toBe(3600);
    expect(tokens().verify(issued.accessToken)).toEqual(claims);
  });

  it('is a standard HS256 JWT with sub, role, iat and exp', () => {
    const [header, payload] = tokens().issue(claims).accessToken.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({ sub: claims.userId, role: 'manager', iat: 1_700_000_000, exp: 1_700_003_600 });
  });

  it('refuses an expired token', () => {
    const { accessToken } = tokens().issue(claims);
    expect(tokens(1_700_000_000_000 + 3599_000).verify(accessToken)).toEqual(claims);
    expect(tokens(1_700_000_000_000 + 3600_000).verify(accessToken)).toBeNull();
  });

  it('refuses a token signed with another secret, or with its payload changed', () => {
    const { accessToken } = tokens().issue(claims);
    expect(tokens(undefined, Buffer.from('another secret')).verify(accessToken)).toBeNull();
    const [header, , signature] = accessToken.split('.');
    const forged = `${header}.${part({ sub: claims.userId, role: 'admin', exp: 1_800_000_000 })}.${signature}`;
    expect(tokens().verify(forged)).toBeNull();
  });

  it('refuses alg none and any algorithm but HS256, even when signed', () => {
    const payload = part({ sub: claims.userId, role: 'admin', exp: 1_800_000_000 });
    expect(tokens().verify(`${part({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toBeNull();
    const header = part({ alg: 'HS512', typ: 'JWT' });
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    expect(tokens().verify(`${header}.${payload}.${signature}`)).toBeNull();
  });

  it('refuses garbage, unknown roles and tokens without exp', () => {
    for (const token of ['', 'abc', 'a.b.c', 'a.b.c.d']) expect(tokens().verify(token)).toBeNull();
    const header = part({ alg: 'HS256', typ: 'JWT' });
    for (const payload of [part({ sub: claims.userId, role: 'owner', exp: 1_800_000_000 }), part({ sub: claims.userId, role: 'admin' })]) {
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      expect(tokens().verify(`${header}.${payload}.${signature}`)).toBeNull();
    }
  });
});
