import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { isEmail } from 'class-validator';
import { ConfigError, type Env, envInteger, envString, readOrCreateSecret } from '@app/core';
import { type Beak, parseBeak } from '../domain/beak';

/**
 * Identity's settings, from the environment: JWT_SECRET, JWT_TTL_SECONDS (default 900),
 * REFRESH_TOKEN_TTL_SECONDS (default 14 days), BEAK_HASH_COST (scrypt N, default 2^17),
 * BEAK_HASH_CONCURRENCY and BEAK_HASH_QUEUE (how many hashes run at once, how many may wait),
 * LOGIN_MAX_FAILURES_PER_EMAIL, LOGIN_MAX_FAILURES_PER_CLIENT, LOGIN_FAILURE_WINDOW_SECONDS and
 * LOGIN_LIMITER_MAX_KEYS (the login rate limits), and BOOTSTRAP_ADMIN_EMAIL + BOOTSTRAP_ADMIN_BEAK
 * (JSON) with an optional BOOTSTRAP_ADMIN_NAME (default "Administrator").
 */
export interface IdentityConfig {
  jwtSecret: Buffer;
  accessTokenTtlSeconds: number;
  /** How long a refresh token stays usable; each use gives a new one with a new lifetime. */
  refreshTokenTtlSeconds: number;
  /** scrypt's N for new beak hashes. */
  beakHashCost: number;
  /** Beak hashes computed at once (each takes 128 × N bytes × 8 of memory: 128 MiB at the default cost). */
  beakHashConcurrency: number;
  /** Beak hashes that may wait for a slot; beyond that, 503 SERVICE_UNAVAILABLE with Retry-After. */
  beakHashQueue: number;
  loginLimits: LoginLimits;
  /** The first admin, created at start-up when no user has this email. */
  bootstrapAdmin: { name: string; email: string; beak: Beak } | null;
}

export interface LoginLimits {
  /** Failed logins (attempts in progress count as failed until they succeed) per email per window. */
  maxFailuresPerEmail: number;
  /** The same, per client address. */
  maxFailuresPerClient: number;
  windowSeconds: number;
  /** Emails and addresses tracked at once; the oldest are forgotten first, so memory stays bounded. */
  maxKeys: number;
}

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

const DEFAULT_BEAK_HASH_COST = 2 ** 17;
const DEFAULT_TOKEN_TTL_SECONDS = 900;
const DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 14 * 24 * 3600;

export function loadIdentityConfig(env: Env = process.env, dataDir = resolve('.data')): IdentityConfig {
  const positive = (name: string, fallback: number, unit?: string) => envInteger(env, name, fallback, { min: 1, unit });
  return {
    jwtSecret: jwtSecret(env, dataDir),
    accessTokenTtlSeconds: positive('JWT_TTL_SECONDS', DEFAULT_TOKEN_TTL_SECONDS, 'seconds'),
    refreshTokenTtlSeconds: positive('REFRESH_TOKEN_TTL_SECONDS', DEFAULT_REFRESH_TOKEN_TTL_SECONDS, 'seconds'),
    beakHashCost: beakHashCost(env),
    beakHashConcurrency: positive('BEAK_HASH_CONCURRENCY', availableParallelism()),
    beakHashQueue: envInteger(env, 'BEAK_HASH_QUEUE', 32),
    loginLimits: {
      maxFailuresPerEmail: positive('LOGIN_MAX_FAILURES_PER_EMAIL', 10),
      maxFailuresPerClient: positive('LOGIN_MAX_FAILURES_PER_CLIENT', 100),
      windowSeconds: positive('LOGIN_FAILURE_WINDOW_SECONDS', 900, 'seconds'),
      maxKeys: positive('LOGIN_LIMITER_MAX_KEYS', 100_000),
    },
    bootstrapAdmin: bootstrapAdmin(env),
  };
}

/**
 * `JWT_SECRET`, or in development a random secret kept in `.data/jwt-secret` so tokens outlive a
 * restart. Processes starting together agree: each writes a candidate and links it into place,
 * which only the first can do, so nobody reads a half-written file.
 * Production (`NODE_ENV=production`) must set `JWT_SECRET`: every API process needs the same one.
 */
function jwtSecret(env: Env, dataDir: string): Buffer {
  const secret = envString(env, 'JWT_SECRET');
  if (secret) return Buffer.from(secret, 'utf8');
  if (env.NODE_ENV === 'production') throw new ConfigError('JWT_SECRET must be set when NODE_ENV=production');
  return Buffer.from(readOrCreateSecret(join(dataDir, 'jwt-secret')), 'utf8');
}

function bootstrapAdmin(env: Env): IdentityConfig['bootstrapAdmin'] {
  const email = envString(env, 'BOOTSTRAP_ADMIN_EMAIL');
  const beak = envString(env, 'BOOTSTRAP_ADMIN_BEAK');
  if (!email && !beak) return null;
  if (!email || !beak) throw new ConfigError('Set both BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_BEAK, or neither');
  if (!isEmail(email)) throw new ConfigError(`BOOTSTRAP_ADMIN_EMAIL: "${email}" is not an email address`);
  try {
    return { name: envString(env, 'BOOTSTRAP_ADMIN_NAME', 'Administrator'), email, beak: parseBeak(JSON.parse(beak)) };
  } catch (error) {
    throw new ConfigError(`BOOTSTRAP_ADMIN_BEAK: ${(error as Error).message}`);
  }
}

function beakHashCost(env: Env): number {
  const cost = envInteger(env, 'BEAK_HASH_COST', DEFAULT_BEAK_HASH_COST, { min: 1 });
  if (cost < 2 || !Number.isInteger(Math.log2(cost))) throw new ConfigError(`BEAK_HASH_COST must be a power of two (scrypt's N), not ${cost}`);
  return cost;
}
