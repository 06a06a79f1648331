import { createHash, randomBytes, randomUUID } from 'node:crypto';

const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** A refresh token as the client holds it: `<sessionId>.<secret>`, the secret 256 random bits. */
export interface RefreshToken {
  token: string;
  sessionId: string;
  /** What is recorded of it: SHA-256 of the whole token. */
  hash: string;
}

export function newRefreshToken(sessionId: string = randomUUID()): RefreshToken {
  const token = `${sessionId}.${randomBytes(32).toString('base64url')}`;
  return { token, sessionId, hash: hashRefreshToken(token) };
}

/** The session and hash of a token as a client sent it; null when it cannot be one of ours. */
export function readRefreshToken(token: string): { sessionId: string; hash: string } | null {
  const match = TOKEN.exec(token);
  return match ? { sessionId: match[1], hash: hashRefreshToken(token) } : null;
}

function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}
