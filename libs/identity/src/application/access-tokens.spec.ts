import { createHmac } from 'node:crypto';
import { AccessTokens } from './access-tokens';

const secret = Buffer.from('a test secret of reasonable length');
const claims = { userId: '0b5e3c3e-8a5b-4f7e-9a43-2a4c1e0f6d11', role: 'manager' as const, version: 3 };

function tokens(now = 1_700_000_000_000, s = secret): AccessTokens {
  return new AccessTokens(s, 3600, { now: () => new Date(now) });
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

  it('is a standard HS256 JWT with sub, role, ver, iat and exp', () => {
    const [header, payload] = tokens().issue(claims).accessToken.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({ sub: claims.userId, role: 'manager', ver: 3, iat: 1_700_000_000, exp: 1_700_003_600 });
  });

  it('refuses an expired token', () => {
    const { accessToken } = tokens().issue(claims);
    expect(tokens(1_700_000_000_000 + 3599_000).verify(accessToken)).toEqual(claims);
    expect(tokens(1_700_000_000_000 + 3600_000).verify(accessToken)).toBeNull();
  });

  it('refuses a token it verified before, once that token has expired', () => {
    let now = 1_700_000_000_000;
    const verifier = new AccessTokens(secret, 3600, { now: () => new Date(now) });
    const { accessToken } = verifier.issue(claims);
    expect(verifier.verify(accessToken)).toEqual(claims);
    now += 3599_000;
    expect(verifier.verify(accessToken)).toEqual(claims);
    now += 1_000;
    expect(verifier.verify(accessToken)).toBeNull();
    now -= 1_000;
    expect(verifier.verify(accessToken)).toEqual(claims);
  });

  it('refuses a token signed with another secret, or with its payload changed', () => {
    const { accessToken } = tokens().issue(claims);
    expect(tokens(undefined, Buffer.from('another secret')).verify(accessToken)).toBeNull();
    const [header, , signature] = accessToken.split('.');
    const forged = `${header}.${part({ sub: claims.userId, role: 'admin', ver: 3, exp: 1_800_000_000 })}.${signature}`;
    expect(tokens().verify(forged)).toBeNull();
  });

  it('refuses a token whose signature text differs, even where it decodes to the same bytes', () => {
    const { accessToken } = tokens().issue(claims);
    const [header, payload, signature] = accessToken.split('.');
    // base64url decoders skip padding and stray characters, so these all decode to the signature's bytes.
    for (const altered of [`${accessToken}=`, `${accessToken}==`, `${header}.${payload}.${signature}.`, `${header}.${payload}.${signature} `]) {
      expect(Buffer.from(altered.split('.')[2] ?? '', 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
      expect(tokens().verify(altered)).toBeNull();
    }
    // The last character of a 43-character base64url signature carries 2 unused bits: its neighbour decodes the same.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = `${signature.slice(0, -1)}${alphabet[alphabet.indexOf(signature.at(-1)!) + 1]}`;
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(tokens().verify(`${header}.${payload}.${twin}`)).toBeNull();
  });

  it('refuses a token without a version', () => {
    const header = part({ alg: 'HS256', typ: 'JWT' });
    for (const ver of [undefined, -1, 1.5, '2']) {
      const payload = part({ sub: claims.userId, role: 'admin', ver, exp: 1_800_000_000 });
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      expect(tokens().verify(`${header}.${payload}.${signature}`)).toBeNull();
    }
  });

  it('refuses alg none and any algorithm but HS256, even when signed', () => {
    const payload = part({ sub: claims.userId, role: 'admin', ver: 0, exp: 1_800_000_000 });
    expect(tokens().verify(`${part({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toBeNull();
    const header = part({ alg: 'HS512', typ: 'JWT' });
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    expect(tokens().verify(`${header}.${payload}.${signature}`)).toBeNull();
  });

  it('refuses garbage, unknown roles and tokens without exp', () => {
    for (const token of ['', 'abc', 'a.b.c', 'a.b.c.d']) expect(tokens().verify(token)).toBeNull();
    const header = part({ alg: 'HS256', typ: 'JWT' });
    for (const payload of [part({ sub: claims.userId, role: 'owner', ver: 0, exp: 1_800_000_000 }), part({ sub: claims.userId, role: 'admin', ver: 0 })]) {
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      expect(tokens().verify(`${header}.${payload}.${signature}`)).toBeNull();
    }
  });
});
