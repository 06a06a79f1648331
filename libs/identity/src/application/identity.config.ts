import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isEmail } from 'class-validator';
import { ConfigError } from '@app/core';
import { type Beak, parseBeak } from '../domain/beak';

/**
 * Identity's settings, from the environment: JWT_SECRET, JWT_TTL_SECONDS (default 3600),
 * BEAK_HASH_COST (scrypt N, default 2^17), and BOOTSTRAP_ADMIN_EMAIL + BOOTSTRAP_ADMIN_BEAK (JSON)
 * with an optional BOOTSTRAP_ADMIN_NAME (default "Administrator").
 */
export interface IdentityConfig {
  jwtSecret: Buffer;
  accessTokenTtlSeconds: number;
  /** scrypt's N for new beak hashes. */
  beakHashCost: number;
  /** The first admin, created at start-up when no user has this email. */
  bootstrapAdmin: { name: string; email: string; beak: Beak } | null;
}

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

const DEFAULT_BEAK_HASH_COST = 2 ** 17;
const DEFAULT_TOKEN_TTL_SECONDS = 3600;

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env, dataDir = resolve('.data')): IdentityConfig {
  return {
    jwtSecret: jwtSecret(env, dataDir),
    accessTokenTtlSeconds: positiveInteger(env, 'JWT_TTL_SECONDS', DEFAULT_TOKEN_TTL_SECONDS),
    beakHashCost: beakHashCost(env),
    bootstrapAdmin: bootstrapAdmin(env),
  };
}

/**
 * `JWT_SECRET`, or in development a random secret kept in `.data/jwt-secret` so tokens outlive a
 * restart. Processes starting together agree: each writes a candidate and links it into place,
 * which only the first can do, so nobody reads a half-written file.
 * Production (`NODE_ENV=production`) must set `JWT_SECRET`: every API process needs the same one.
 */
function jwtSecret(env: NodeJS.ProcessEnv, dataDir: string): Buffer {
  if (env.JWT_SECRET) return Buffer.from(env.JWT_SECRET, 'utf8');
  if (env.NODE_ENV === 'production') throw new ConfigError('JWT_SECRET must be set when NODE_ENV=production');
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const candidate = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(candidate, randomBytes(32).toString('base64url'), { mode: 0o600 });
    try {
      linkSync(candidate, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(candidate);
    }
  }
  return Buffer.from(readFileSync(file, 'utf8'), 'utf8');
}

function bootstrapAdmin(env: NodeJS.ProcessEnv): IdentityConfig['bootstrapAdmin'] {
  const email = env.BOOTSTRAP_ADMIN_EMAIL;
  const beak = env.BOOTSTRAP_ADMIN_BEAK;
  if (!email && !beak) return null;
  if (!email || !beak) throw new ConfigError('Set both BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_BEAK, or neither');
  if (!isEmail(email)) throw new ConfigError(`BOOTSTRAP_ADMIN_EMAIL: "${email}" is not an email address`);
  try {
    return { name: env.BOOTSTRAP_ADMIN_NAME || 'Administrator', email, beak: parseBeak(JSON.parse(beak)) };
  } catch (error) {
    throw new ConfigError(`BOOTSTRAP_ADMIN_BEAK: ${(error as Error).message}`);
  }
}

function beakHashCost(env: NodeJS.ProcessEnv): number {
  const cost = positiveInteger(env, 'BEAK_HASH_COST', DEFAULT_BEAK_HASH_COST);
  if (cost < 2 || !Number.isInteger(Math.log2(cost))) throw new ConfigError(`BEAK_HASH_COST must be a power of two (scrypt's N), not ${cost}`);
  return cost;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}
